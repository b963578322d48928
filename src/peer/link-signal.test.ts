import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import {
  encodeLinkSignal,
  type LinkSignal,
  MAX_SDP_CHARS,
  parseLinkSignal,
} from './link-signal.ts';

const CONN = '0123456789abcdef0123456789abcdef';
const json = (o: unknown) => utf8(JSON.stringify(o));

describe('link signals', () => {
  it('round-trip every kind, with the version tag on the wire', () => {
    const all: LinkSignal[] = [
      { kind: 'offer', conn: CONN, sdp: 'v=0\r\n' },
      { kind: 'answer', conn: CONN, sdp: 'v=0\r\n' },
      {
        kind: 'candidate',
        conn: CONN,
        candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 },
      },
      {
        kind: 'candidate',
        conn: CONN,
        candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: null },
      },
      { kind: 'knock', conn: CONN },
    ];
    for (const s of all) expect(parseLinkSignal(encodeLinkSignal(s))).toEqual(s);
    expect(new TextDecoder().decode(encodeLinkSignal({ kind: 'knock', conn: CONN }))).toBe(
      `{"v":1,"kind":"knock","conn":"${CONN}"}`,
    );
  });

  it('ignores unknown fields', () => {
    expect(parseLinkSignal(json({ v: 1, kind: 'knock', conn: CONN, extra: [1] }))).toEqual({
      kind: 'knock',
      conn: CONN,
    });
  });

  it('rejects everything else', () => {
    const bad: unknown[] = [
      { v: 2, kind: 'knock', conn: CONN },
      { kind: 'knock', conn: CONN },
      { v: 1, kind: 'knock', conn: CONN.toUpperCase() },
      { v: 1, kind: 'knock', conn: CONN.slice(1) },
      { v: 1, kind: 'bye', conn: CONN },
      { v: 1, kind: 'offer', conn: CONN },
      { v: 1, kind: 'offer', conn: CONN, sdp: '' },
      { v: 1, kind: 'answer', conn: CONN, sdp: 'x'.repeat(MAX_SDP_CHARS + 1) },
      { v: 1, kind: 'candidate', conn: CONN },
      { v: 1, kind: 'candidate', conn: CONN, candidate: { candidate: '' } },
      { v: 1, kind: 'candidate', conn: CONN, candidate: { candidate: 'c', sdpMLineIndex: -1 } },
      { v: 1, kind: 'candidate', conn: CONN, candidate: { candidate: 'c', sdpMLineIndex: 0.5 } },
      { v: 1, kind: 'candidate', conn: CONN, candidate: { candidate: 'c', sdpMid: 7 } },
      [1, 2],
      null,
      'knock',
    ];
    for (const b of bad) expect(parseLinkSignal(json(b)), JSON.stringify(b)).toBeUndefined();
    expect(parseLinkSignal(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
    expect(parseLinkSignal(utf8('{"v":1,'))).toBeUndefined();
  });
});
