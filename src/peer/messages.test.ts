import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import { isPeerlineError } from '../crypto/errors.ts';
import { newMessageId } from './ids.ts';
import type { Message } from './message-types.ts';
import { buildMessage, encodeMessage, parseMessage, parseMessageBytes } from './messages.ts';
import { arbitraryDraft } from './test-arbitrary.ts';

const ID = '0123456789abcdef0123456789abcdef';
const env = (type: string, payload: unknown, extra: object = {}) => ({
  id: ID,
  type,
  timestamp: 1_764_072_000_000,
  payload,
  ...extra,
});

describe('envelope', () => {
  it('accepts the PROTOCOL.md §5 example and keeps only known fields', () => {
    const r = parseMessage(
      env(
        'text',
        { text: 'Hello **Bob**', color: 'red' },
        {
          reply_to: 'fedcba9876543210fedcba9876543210',
          thread_id: 't1',
          expires_at: 1_764_072_005_000,
          extra: [1, 2],
        },
      ),
    );
    expect(r).toEqual({
      kind: 'valid',
      message: {
        id: ID,
        type: 'text',
        timestamp: 1_764_072_000_000,
        payload: { text: 'Hello **Bob**' },
        reply_to: 'fedcba9876543210fedcba9876543210',
        thread_id: 't1',
        expires_at: 1_764_072_005_000,
      },
    });
  });

  it.each([
    ['not an object', [1]],
    ['null', null],
    ['upper-case id', { ...env('typing', { typing: true }), id: ID.toUpperCase() }],
    ['short id', { ...env('typing', { typing: true }), id: 'abc' }],
    ['type not string', { ...env('typing', { typing: true }), type: 3 }],
    ['negative timestamp', { ...env('typing', { typing: true }), timestamp: -1 }],
    ['fractional timestamp', { ...env('typing', { typing: true }), timestamp: 1.5 }],
    ['payload array', env('typing', [])],
    ['payload missing', { id: ID, type: 'typing', timestamp: 1 }],
    ['bad reply_to', env('typing', { typing: true }, { reply_to: 'x' })],
    ['thread_id 65 chars', env('typing', { typing: true }, { thread_id: 'x'.repeat(65) })],
    ['expires_at string', env('typing', { typing: true }, { expires_at: '1' })],
  ])('invalid envelope: %s → 1000', (_n, value) => {
    const r = parseMessage(value);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error.code).toBe(1000);
  });

  it('reports the id of an invalid message as ref when it is readable', () => {
    const r = parseMessage(env('typing', { typing: 'yes' }));
    expect(r).toMatchObject({ kind: 'invalid', ref: ID, type: 'typing' });
  });

  it('an unknown type with a valid envelope is "unknown", not invalid', () => {
    expect(parseMessage(env('sticker', { whatever: 1 }))).toEqual({
      kind: 'unknown',
      type: 'sticker',
      id: ID,
    });
  });

  it('an unknown type with an invalid envelope is invalid', () => {
    expect(parseMessage({ ...env('sticker', {}), id: 1 }).kind).toBe('invalid');
  });
});

describe('one validator per type', () => {
  const valid: [string, unknown, unknown][] = [
    ['hello', {}, {}],
    [
      'hello',
      { name: 'Alice', agent: 'peerline/0.1', x: 1 },
      { name: 'Alice', agent: 'peerline/0.1' },
    ],
    ['text', { text: 'é'.repeat(32_768) }, { text: 'é'.repeat(32_768) }],
    ['receipt', { status: 'read', ids: [ID] }, { status: 'read', ids: [ID] }],
    ['typing', { typing: false }, { typing: false }],
    [
      'presence',
      { status: 'away', text: 'lunch', last_seen: 5 },
      { status: 'away', text: 'lunch', last_seen: 5 },
    ],
    ['ping', { seq: 0 }, { seq: 0 }],
    ['pong', { seq: 7 }, { seq: 7 }],
    ['close', { code: 2003, reason: '' }, { code: 2003, reason: '' }],
    ['error', { code: 1000, detail: 'bad', ref: ID }, { code: 1000, detail: 'bad', ref: ID }],
    ['rekey', { please: true }, {}],
    ['rehandshake', {}, {}],
  ];
  it.each(valid)('%s %j is valid', (type, payload, expected) => {
    const r = parseMessage(env(type, payload));
    expect(r.kind).toBe('valid');
    if (r.kind === 'valid') expect(r.message.payload).toEqual(expected);
  });

  const invalid: [string, unknown][] = [
    ['hello', { name: 'x'.repeat(65) }],
    ['hello', { agent: 5 }],
    ['text', { text: '' }],
    ['text', { text: 'a'.repeat(65_537) }],
    ['text', { text: 'é'.repeat(32_769) }],
    ['text', { text: '\ud800' }],
    ['text', {}],
    ['receipt', { status: 'seen', ids: [ID] }],
    ['receipt', { status: 'read', ids: [] }],
    ['receipt', { status: 'read', ids: Array(257).fill(ID) }],
    ['receipt', { status: 'read', ids: ['nope'] }],
    ['typing', { typing: 1 }],
    ['presence', { status: 'sleeping' }],
    ['presence', { status: 'busy', text: 'x'.repeat(141) }],
    ['presence', { status: 'busy', last_seen: -5 }],
    ['ping', { seq: -1 }],
    ['ping', { seq: 2 ** 53 }],
    ['pong', {}],
    ['close', { code: 1.5, reason: '' }],
    ['close', { code: 1, reason: 'x'.repeat(257) }],
    ['error', { code: 1000 }],
    ['error', { code: 1000, detail: '', ref: 'zz' }],
  ];
  it.each(invalid)('%s %j → 1000', (type, payload) => {
    const r = parseMessage(env(type, payload));
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error.code).toBe(1000);
  });

  it('counts string limits in code points, text in UTF-8 bytes', () => {
    expect(parseMessage(env('hello', { name: '😀'.repeat(64) })).kind).toBe('valid');
    expect(parseMessage(env('hello', { name: '😀'.repeat(65) })).kind).toBe('invalid');
    expect(parseMessage(env('text', { text: '😀'.repeat(16_384) })).kind).toBe('valid');
    expect(parseMessage(env('text', { text: `${'😀'.repeat(16_384)}a` })).kind).toBe('invalid');
  });
});

describe('bytes', () => {
  it('rejects invalid UTF-8 and invalid JSON with 1000', () => {
    for (const bytes of [
      new Uint8Array([0xff, 0xfe]),
      new Uint8Array([0x7b, 0xc3]),
      utf8('{"id":'),
      utf8(''),
    ]) {
      const r = parseMessageBytes(bytes);
      expect(r.kind).toBe('invalid');
      if (r.kind === 'invalid') expect(r.error.code).toBe(1000);
    }
  });

  it('buildMessage validates what we send', () => {
    expect(() => buildMessage({ type: 'text', payload: { text: '' } }, newMessageId(), 1)).toThrow(
      expect.objectContaining({ code: 1000 }),
    );
  });
});

describe('properties', () => {
  it('any valid message round-trips through bytes unchanged', () => {
    fc.assert(
      fc.property(arbitraryDraft(), fc.nat(), (draft, ts) => {
        const m: Message = buildMessage(draft, newMessageId(), ts);
        expect(parseMessageBytes(encodeMessage(m))).toEqual({ kind: 'valid', message: m });
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON values never throw, and give a typed result', () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.record({
        id: fc.constant(ID),
        type: fc.constantFrom('text', 'receipt', 'presence', 'error', 'x'),
        timestamp: fc.nat(),
        payload: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(value, (v) => {
        const r = parseMessage(v);
        expect(['valid', 'unknown', 'invalid']).toContain(r.kind);
        if (r.kind === 'invalid') expect(isPeerlineError(r.error, 1000)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string().map(utf8)), (b) => {
        const r = parseMessageBytes(b);
        if (r.kind === 'invalid') expect(r.error.code).toBe(1000);
      }),
      { numRuns: 3000 },
    );
  });

  it('deeply nested JSON is a typed error, not a crash', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(parseMessageBytes(utf8(deep)).kind).toBe('invalid');
  });
});
