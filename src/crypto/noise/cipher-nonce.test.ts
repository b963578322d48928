import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.ts';
import { aesGcmNonce, chachaNonce, writeAesGcmNonce } from './cipher-nonce.ts';

/** The reference encoding: DataView.setBigUint64 at offset 4 of 12 zero bytes. */
function reference(n: bigint, littleEndian: boolean): string {
  const b = new Uint8Array(12);
  new DataView(b.buffer).setBigUint64(4, n, littleEndian);
  return toHex(b);
}

describe('AEAD nonces (Noise rev34 §12.3, §12.4)', () => {
  it('has the exact bytes of the spec layout', () => {
    expect(toHex(aesGcmNonce(0x0102030405060708n))).toBe('000000000102030405060708');
    expect(toHex(chachaNonce(0x0102030405060708n))).toBe('000000000807060504030201');
    expect(toHex(aesGcmNonce(0n))).toBe('000000000000000000000000');
    expect(toHex(aesGcmNonce(2n ** 64n - 1n))).toBe('00000000ffffffffffffffff');
    expect(toHex(chachaNonce(2n ** 32n))).toBe('000000000000000001000000');
  });

  it('agrees with setBigUint64 on both sides of 2^32 and 2^53', () => {
    const edges = [2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n];
    const arb = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 54n }),
      fc.constantFrom(...edges),
    );
    fc.assert(
      fc.property(arb, (n) => {
        expect(toHex(aesGcmNonce(n))).toBe(reference(n, false));
        expect(toHex(chachaNonce(n))).toBe(reference(n, true));
      }),
      { numRuns: 2000 },
    );
  });

  it('writeAesGcmNonce overwrites all 12 bytes of a reused buffer', () => {
    const dst = new Uint8Array(12).fill(0xff);
    expect(toHex(writeAesGcmNonce(dst, 0x0102n))).toBe('000000000000000000000102');
    expect(toHex(writeAesGcmNonce(dst, 2n ** 53n + 3n))).toBe(reference(2n ** 53n + 3n, false));
  });
});
