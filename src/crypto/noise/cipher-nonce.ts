// Nonce encodings of the two AEADs: the 64-bit Noise counter n inside a 96-bit nonce.
// Built byte by byte: a DataView and setBigUint64 per message cost more than the rest of the
// transport's bookkeeping together (measured in a Chromium CPU profile of 64 KiB frames).

const TWO_32 = 2 ** 32;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Writes the u32 `v` at `off`, big- or little-endian. */
function putU32(b: Uint8Array, off: number, v: number, littleEndian: boolean): void {
  for (let i = 0; i < 4; i++) {
    b[littleEndian ? off + i : off + 3 - i] = (v >>> (8 * i)) & 0xff;
  }
}

/** Writes the 64-bit n into b[4..12): one BigInt→Number conversion while n < 2^53. */
function putU64(b: Uint8Array, n: bigint, littleEndian: boolean): void {
  let hi: number;
  let lo: number;
  if (n <= MAX_SAFE) {
    const x = Number(n);
    hi = Math.floor(x / TWO_32);
    lo = x % TWO_32;
  } else {
    hi = Number((n >> 32n) & 0xffff_ffffn);
    lo = Number(n & 0xffff_ffffn);
  }
  putU32(b, littleEndian ? 4 : 8, lo, littleEndian);
  putU32(b, littleEndian ? 8 : 4, hi, littleEndian);
}

/** §12.3 ChaChaPoly: 32 bits of zeros followed by the little-endian 64-bit n. */
export function chachaNonce(n: bigint): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  putU64(b, n, true);
  return b;
}

/** §12.4 AESGCM: 32 bits of zeros followed by the big-endian 64-bit n. */
export function aesGcmNonce(n: bigint): Uint8Array<ArrayBuffer> {
  return writeAesGcmNonce(new Uint8Array(12), n);
}

/** aesGcmNonce written into `dst` (12 bytes, all of them overwritten). */
export function writeAesGcmNonce<T extends Uint8Array>(dst: T, n: bigint): T {
  dst[0] = 0;
  dst[1] = 0;
  dst[2] = 0;
  dst[3] = 0;
  putU64(dst, n, false);
  return dst;
}
