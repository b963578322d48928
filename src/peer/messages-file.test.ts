// Validators of the §13 file-transfer messages: exact limits, and a property that the parser
// only ever returns typed results whose payloads obey the rules.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPeerlineError } from '../crypto/errors.ts';
import { parseMessage } from './messages.ts';

const ID = '0123456789abcdef0123456789abcdef';
const SHA = 'ab'.repeat(32);
const env = (type: string, payload: unknown) => ({ id: ID, type, timestamp: 1, payload });
const OFFER = {
  id: ID,
  name: 'a.txt',
  size: 10,
  mime: 'text/plain',
  sha256: SHA,
  chunk_size: 65_472,
};

describe('file messages: valid', () => {
  const valid: [string, unknown, unknown][] = [
    ['file_offer', { ...OFFER, extra: 1 }, OFFER],
    ['file_offer', { ...OFFER, mime: '', size: 0 }, { ...OFFER, mime: '', size: 0 }],
    ['file_offer', { ...OFFER, name: '😀'.repeat(255) }, { ...OFFER, name: '😀'.repeat(255) }],
    ['file_offer', { ...OFFER, chunk_size: 1024 }, { ...OFFER, chunk_size: 1024 }],
    ['file_offer', { ...OFFER, chunk_size: 65_482 }, { ...OFFER, chunk_size: 65_482 }],
    [
      'file_offer',
      { ...OFFER, chunk_size: 1024, size: 1024 * 2 ** 32 },
      { ...OFFER, chunk_size: 1024, size: 1024 * 2 ** 32 },
    ],
    [
      'file_offer',
      { ...OFFER, mime: 'application/vnd.ms-excel+xml' },
      { ...OFFER, mime: 'application/vnd.ms-excel+xml' },
    ],
    ['file_accept', { id: ID, from: 0 }, { id: ID, from: 0 }],
    ['file_start', { id: ID, from: 7 }, { id: ID, from: 7 }],
    ['file_decline', { id: ID }, { id: ID }],
    ['file_ack', { id: ID, next: 1 }, { id: ID, next: 1 }],
    ['file_pause', { id: ID }, { id: ID }],
    ['file_resume', { id: ID }, { id: ID }],
    ['file_done', { id: ID }, { id: ID }],
    ['file_cancel', { id: ID, code: 3005 }, { id: ID, code: 3005 }],
    ['file_cancel', { id: ID, code: 3999, reason: 'x' }, { id: ID, code: 3999, reason: 'x' }],
  ];
  it.each(valid)('%s %j', (type, payload, expected) => {
    const r = parseMessage(env(type, payload));
    expect(r.kind).toBe('valid');
    if (r.kind === 'valid') expect(r.message.payload).toEqual(expected);
  });
});

describe('file messages: invalid → 1000', () => {
  const invalid: [string, unknown][] = [
    ['file_offer', { ...OFFER, id: ID.toUpperCase() }],
    ['file_offer', { ...OFFER, name: '' }],
    ['file_offer', { ...OFFER, name: 'a'.repeat(256) }],
    ['file_offer', { ...OFFER, name: 'dir/a.txt' }],
    ['file_offer', { ...OFFER, name: 'dir\\a.txt' }],
    ['file_offer', { ...OFFER, name: 'a\u0000b' }],
    ['file_offer', { ...OFFER, name: 'a\nb' }],
    ['file_offer', { ...OFFER, name: 'a\u007fb' }],
    ['file_offer', { ...OFFER, name: '\ud800' }],
    ['file_offer', { ...OFFER, size: -1 }],
    ['file_offer', { ...OFFER, size: 1.5 }],
    ['file_offer', { ...OFFER, size: 2 ** 53 }],
    ['file_offer', { ...OFFER, chunk_size: 1024, size: 1024 * 2 ** 32 + 1 }],
    ['file_offer', { ...OFFER, chunk_size: 1023 }],
    ['file_offer', { ...OFFER, chunk_size: 65_483 }],
    ['file_offer', { ...OFFER, mime: 'text' }],
    ['file_offer', { ...OFFER, mime: 'text/plain; charset=utf-8' }],
    ['file_offer', { ...OFFER, mime: `a/${'b'.repeat(126)}` }],
    ['file_offer', { ...OFFER, sha256: SHA.toUpperCase() }],
    ['file_offer', { ...OFFER, sha256: SHA.slice(2) }],
    ['file_offer', { ...OFFER, sha256: undefined }],
    ['file_accept', { id: ID }],
    ['file_accept', { id: ID, from: -1 }],
    ['file_start', { id: ID, from: '0' }],
    ['file_ack', { id: ID, next: 0 }],
    ['file_ack', { id: ID, next: 1.5 }],
    ['file_decline', {}],
    ['file_pause', { id: 'x' }],
    ['file_done', { id: 5 }],
    ['file_cancel', { id: ID, code: 2003 }],
    ['file_cancel', { id: ID, code: 4000 }],
    ['file_cancel', { id: ID, code: 3005, reason: 'x'.repeat(257) }],
    ['file_cancel', { id: ID, code: 3005, reason: 3 }],
  ];
  it.each(invalid)('%s %j', (type, payload) => {
    const r = parseMessage(env(type, payload));
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error.code).toBe(1000);
  });
});

describe('file messages: properties', () => {
  const types = [
    'file_offer',
    'file_accept',
    'file_decline',
    'file_ack',
    'file_pause',
    'file_resume',
    'file_cancel',
    'file_done',
    'file_start',
  ];
  const anyField = fc.oneof(fc.jsonValue(), fc.constant(ID), fc.nat(), fc.integer());
  const payload = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        id: fc.oneof(fc.constant(ID), anyField),
        name: fc.oneof(fc.string({ maxLength: 300 }), anyField),
        size: fc.oneof(fc.maxSafeNat(), anyField),
        mime: fc.oneof(fc.constantFrom('', 'image/png', 'a/b;c'), anyField),
        sha256: fc.oneof(fc.constant(SHA), anyField),
        chunk_size: fc.oneof(fc.integer({ min: 0, max: 70_000 }), anyField),
        from: anyField,
        next: anyField,
        code: fc.oneof(fc.integer({ min: 2900, max: 4100 }), anyField),
        reason: fc.oneof(fc.string({ maxLength: 300 }), anyField),
      },
      { requiredKeys: [] },
    ),
  );

  it('never throws; valid results obey the rules', () => {
    fc.assert(
      fc.property(fc.constantFrom(...types), payload, (type, p) => {
        const r = parseMessage(env(type, p));
        expect(r.kind === 'valid' || r.kind === 'invalid').toBe(true);
        if (r.kind === 'invalid') {
          expect(isPeerlineError(r.error, 1000)).toBe(true);
          return;
        }
        if (r.kind !== 'valid') return;
        const m = r.message;
        expect(m.type).toBe(type);
        expect((m.payload as { id: string }).id).toMatch(/^[0-9a-f]{32}$/);
        if (m.type === 'file_offer') {
          const o = m.payload;
          expect([...o.name].length).toBeGreaterThanOrEqual(1);
          expect([...o.name].length).toBeLessThanOrEqual(255);
          expect(o.name).not.toMatch(/[/\\]/);
          expect(Number.isSafeInteger(o.size) && o.size >= 0).toBe(true);
          expect(o.chunk_size >= 1024 && o.chunk_size <= 65_482).toBe(true);
          expect(o.sha256).toMatch(/^[0-9a-f]{64}$/);
        }
        if (m.type === 'file_cancel')
          expect(m.payload.code >= 3000 && m.payload.code <= 3999).toBe(true);
        if (m.type === 'file_ack') expect(m.payload.next >= 1).toBe(true);
        if (m.type === 'file_accept' || m.type === 'file_start') {
          expect(Number.isSafeInteger(m.payload.from) && m.payload.from >= 0).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
