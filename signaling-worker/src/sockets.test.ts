import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBase64, toBase64 } from '../../src/signaling/base64.ts';
import { MAX_FRAME_BYTES, utf8Length } from '../../src/signaling/protocol.ts';
import { frameTooLarge, signalFrame } from './sockets.ts';

describe('frameTooLarge', () => {
  it('agrees with the exact UTF-8 length for any string, around the limit too', () => {
    // 1- to 4-byte characters and a lone surrogate (3 bytes), from far below to past the limit.
    const unit = fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udc00');
    const text = fc.string({ unit, minLength: 0, maxLength: 6000 });
    const limits = fc.constantFrom(MAX_FRAME_BYTES, 2000, 100, 0);
    fc.assert(
      fc.property(text, limits, (s, limit) => {
        expect(frameTooLarge(s, limit)).toBe(utf8Length(s) > limit);
      }),
    );
  });

  it('decides the exact boundary: 16 384 bytes pass, one more does not', () => {
    const ascii = 'a'.repeat(MAX_FRAME_BYTES);
    expect(frameTooLarge(ascii, MAX_FRAME_BYTES)).toBe(false);
    expect(frameTooLarge(`${ascii}a`, MAX_FRAME_BYTES)).toBe(true);
    // 5461 three-byte characters are 16 383 bytes: one ASCII more fits, two do not.
    expect(frameTooLarge(`${'€'.repeat(5461)}a`, MAX_FRAME_BYTES)).toBe(false);
    expect(frameTooLarge(`${'€'.repeat(5461)}ab`, MAX_FRAME_BYTES)).toBe(true);
    expect(frameTooLarge(new ArrayBuffer(MAX_FRAME_BYTES + 1), MAX_FRAME_BYTES)).toBe(true);
  });
});

describe('signalFrame', () => {
  it('is byte for byte JSON.stringify({type, from, payload}) for a key and base64', () => {
    const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const body = fc.uint8Array({ minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(key, body, (k, b) => {
        const from = bytesToHex(k);
        const payload = toBase64(b);
        expect(isBase64(payload)).toBe(true);
        expect(signalFrame(from, payload)).toBe(JSON.stringify({ type: 'signal', from, payload }));
      }),
    );
  });
});
