import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.ts';
import { ErrorCode, isPeerlineError } from './errors.ts';
import { identityFromSeed } from './identity.ts';
import { safetyNumber, safetyNumberQrPayload, verifySafetyNumberQr } from './safety-number.ts';

const A = identityFromSeed(new Uint8Array(32).fill(0x01)).edPublicKey;
const B = identityFromSeed(new Uint8Array(32).fill(0x02)).edPublicKey;
const C = identityFromSeed(new Uint8Array(32).fill(0x03)).edPublicKey;

function flipBit(key: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(key);
  out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return out;
}

describe('safetyNumber', () => {
  const sn = safetyNumber(A, B);

  it('matches the pinned known answer for seeds 0x01… and 0x02…', () => {
    // Computed once with an independent node:crypto + BigInt implementation of the algorithm in
    // safety-number.ts. B (8139…) sorts before A (8a88…), so B's 30 digits come first.
    expect(toHex(A)).toBe('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    expect(toHex(B)).toBe('8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394');
    expect(sn.digits).toBe('838273776878299779850354749982983429715893439429706954762235');
  });
  it('is 60 digits in 12 groups of 5', () => {
    expect(sn.digits).toMatch(/^[0-9]{60}$/);
    expect(sn.groups).toHaveLength(12);
    for (const g of sn.groups) expect(g).toMatch(/^[0-9]{5}$/);
    expect(sn.groups.join('')).toBe(sn.digits);
  });
  it('is symmetric', () => {
    expect(safetyNumber(B, A)).toEqual(sn);
  });
  it('keeps each half tied to one key', () => {
    // Replacing A changes only A's half, which is the second one.
    const other = safetyNumber(B, C);
    expect(other.digits.slice(0, 30)).toBe(sn.digits.slice(0, 30));
    expect(other.digits.slice(30)).not.toBe(sn.digits.slice(30));
  });
  it('changes when either key changes by one bit', () => {
    for (const bit of [0, 77, 200, 255]) {
      expect(safetyNumber(flipBit(A, bit), B).digits).not.toBe(sn.digits);
      expect(safetyNumber(A, flipBit(B, bit)).digits).not.toBe(sn.digits);
    }
  });
  it('rejects keys of the wrong length', () => {
    let caught: unknown;
    try {
      safetyNumber(A, B.subarray(1));
    } catch (e) {
      caught = e;
    }
    expect(isPeerlineError(caught, ErrorCode.INVALID_KEY)).toBe(true);
  });
});

describe('safety number QR', () => {
  const payload = safetyNumberQrPayload(A, B);

  it('carries both keys in sorted order', () => {
    expect(payload).toBe(`peerline-sn:1:${toHex(B)}${toHex(A)}`);
    expect(safetyNumberQrPayload(B, A)).toBe(payload);
  });
  it('matches from either side, with stray whitespace', () => {
    expect(verifySafetyNumberQr(payload, A, B)).toBe('match');
    expect(verifySafetyNumberQr(payload, B, A)).toBe('match');
    expect(verifySafetyNumberQr(`${payload}\n`, A, B)).toBe('match');
  });
  it('reports a mismatch for a well-formed code of other keys', () => {
    expect(verifySafetyNumberQr(payload, A, C)).toBe('mismatch');
    expect(verifySafetyNumberQr(safetyNumberQrPayload(A, C), A, B)).toBe('mismatch');
    expect(verifySafetyNumberQr(safetyNumberQrPayload(flipBit(B, 3), A), A, B)).toBe('mismatch');
  });
  it('reports invalid for anything that is not a v1 code', () => {
    const body = payload.slice('peerline-sn:1:'.length);
    for (const bad of [
      '',
      'hello',
      `peerline-sn:2:${body}`,
      `peerline-sn:1:${body.slice(2)}`,
      `peerline-sn:1:${body}00`,
      `peerline-sn:1:${body.toUpperCase()}`,
      `peerline-sn:1:${body.slice(0, -1)}g`,
      // Keys in the wrong order: not something safetyNumberQrPayload produces.
      `peerline-sn:1:${toHex(A)}${toHex(B)}`,
    ]) {
      expect(verifySafetyNumberQr(bad, A, B)).toBe('invalid');
    }
  });
});
