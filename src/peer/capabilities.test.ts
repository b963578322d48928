import { describe, expect, it } from 'vitest';
import { fromUtf8, toHex, utf8 } from '../crypto/bytes.ts';
import { PeerlineError } from '../crypto/errors.ts';
import {
  checkCapabilities,
  commonFeatures,
  DEFAULT_CAPABILITIES,
  encodeMsg1,
  encodeMsg2,
  encodeMsg3,
  highestCommonVersion,
  parseMsg1,
  parseMsg2,
  parseMsg3,
} from './capabilities.ts';

const ED = new Uint8Array(32).fill(0xab);
const code = (f: () => unknown): number | 'ok' => {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof PeerlineError) return e.code;
    throw e;
  }
};

describe('handshake payloads (§2.1)', () => {
  it('encode exactly the documented JSON', () => {
    expect(fromUtf8(encodeMsg1(DEFAULT_CAPABILITIES))).toBe(
      '{"versions":[1],"max_frame":65535,"features":["text","receipt","typing","presence"]}',
    );
    expect(fromUtf8(encodeMsg2({ versions: [1], maxFrame: 65535, features: [] }, ED, 1))).toBe(
      `{"ed":"${toHex(ED)}","versions":[1],"max_frame":65535,"features":[],"chosen":1}`,
    );
    expect(fromUtf8(encodeMsg3(ED, 1))).toBe(`{"ed":"${toHex(ED)}","chosen":1}`);
  });

  it('round-trip and ignore unknown fields', () => {
    const m1 = parseMsg1(utf8('{"versions":[1,3],"max_frame":2048,"features":["a"],"future":{}}'));
    expect(m1).toEqual({ versions: [1, 3], maxFrame: 2048, features: ['a'] });
    const m2 = parseMsg2(encodeMsg2(DEFAULT_CAPABILITIES, ED, 1));
    expect(m2.ed).toEqual(ED);
    expect(m2.chosen).toBe(1);
    expect(parseMsg3(encodeMsg3(ED, 4))).toEqual({ ed: ED, chosen: 4 });
  });

  it.each([
    ['not JSON', '{'],
    ['array', '[]'],
    ['versions missing', '{"max_frame":65535,"features":[]}'],
    ['versions empty', '{"versions":[],"max_frame":65535,"features":[]}'],
    ['version 0', '{"versions":[0],"max_frame":65535,"features":[]}'],
    ['version 256', '{"versions":[256],"max_frame":65535,"features":[]}'],
    ['version string', '{"versions":["1"],"max_frame":65535,"features":[]}'],
    ['max_frame small', '{"versions":[1],"max_frame":1023,"features":[]}'],
    ['max_frame big', '{"versions":[1],"max_frame":65536,"features":[]}'],
    ['features not list', '{"versions":[1],"max_frame":65535,"features":"text"}'],
    ['feature empty', '{"versions":[1],"max_frame":65535,"features":[""]}'],
  ])('msg1 %s → 1012', (_n, json) => {
    expect(code(() => parseMsg1(utf8(json)))).toBe(1012);
  });

  it('msg2/msg3 need a 64-hex lowercase ed and an integer chosen', () => {
    const caps = '"versions":[1],"max_frame":65535,"features":[]';
    expect(code(() => parseMsg2(utf8(`{${caps},"chosen":1}`)))).toBe(1012);
    expect(
      code(() => parseMsg2(utf8(`{${caps},"ed":"${toHex(ED).toUpperCase()}","chosen":1}`))),
    ).toBe(1012);
    expect(code(() => parseMsg2(utf8(`{${caps},"ed":"${toHex(ED)}"}`)))).toBe(1012);
    expect(code(() => parseMsg3(utf8(`{"ed":"${toHex(ED)}","chosen":1.5}`)))).toBe(1012);
    expect(code(() => parseMsg3(new Uint8Array([0xff])))).toBe(1012);
  });

  it('local capabilities are checked with the same rules (1000)', () => {
    expect(code(() => checkCapabilities({ versions: [], features: [], maxFrame: 65535 }))).toBe(
      1000,
    );
  });
});

describe('version negotiation (§2.3)', () => {
  it('picks the highest common version, or none', () => {
    expect(highestCommonVersion([1, 2, 3], [3, 2])).toBe(3);
    expect(highestCommonVersion([1, 2], [2, 1, 9])).toBe(2);
    expect(highestCommonVersion([1], [2])).toBeUndefined();
  });
  it('keeps features both sides announced', () => {
    expect(commonFeatures(['text', 'typing', 'x'], ['typing', 'text'])).toEqual(['text', 'typing']);
  });
});
