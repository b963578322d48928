// Length hiding for message plaintexts before encryption.
//
// Bucket: Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
// Communication with PURBs", PETS 2019, §4 / Algorithm 1) with a 256-byte floor:
//   paddedLength(n) = min(max, max(256, padme(n + 1)))      (+1 for the 0x80 marker byte)
//   padme(L): E = ⌊log2 L⌋, S = ⌊log2 E⌋ + 1, lastBits = E − S, bitMask = 2^lastBits − 1,
//             padme(L) = (L + bitMask) & ~bitMask
// Padmé leaks O(log log L) bits of the length and costs at most ~12 % overhead (6.25 % once
// L ≥ 256, where S ≥ 4); the floor makes every short chat line the same size.
// `max` (default 65503, the largest plaintext one Peerline frame carries) caps the bucket, so
// the last bucket may be smaller than Padmé's; content that cannot fit with its marker is
// FRAME_TOO_LARGE.
//
// Encoding (ISO/IEC 7816-4 padding): content || 0x80 || 0x00 … up to paddedLength.
// Unpadding strips trailing zeros and requires the 0x80 marker.

import { ErrorCode, PeerlineError } from './errors.ts';

export const MIN_PADDED_LENGTH = 256;
export const MAX_PADDED_LENGTH = 65503;
const MARKER = 0x80;

/** Number of bits needed to write x (x ≥ 0): ⌊log2 x⌋ + 1, and 0 for 0. Exact, unlike Math.log2. */
function bitLength(x: number): number {
  // clz32 is exact below 2^32, which covers every frame; the loop handles larger lengths.
  if (x < 2 ** 32) return 32 - Math.clz32(x);
  let bits = 32;
  while (2 ** bits <= x) bits++;
  return bits;
}

/** Padmé (PETS 2019, Algorithm 1) for a safe integer L ≥ 0. */
export function padme(length: number): number {
  if (length < 2) return length;
  const e = bitLength(length) - 1;
  const s = bitLength(e);
  // Rounding up to a multiple of 2^(E−S) is (L + bitMask) & ~bitMask without 32-bit limits.
  const unit = 2 ** (e - s);
  return Math.ceil(length / unit) * unit;
}

function assertMax(max: number): void {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
}

/** The padded size of `n` content bytes; FRAME_TOO_LARGE when n + 1 > max. */
export function paddedLength(n: number, max: number = MAX_PADDED_LENGTH): number {
  assertMax(max);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('length must be a natural number');
  if (n + 1 > max) {
    throw new PeerlineError(ErrorCode.FRAME_TOO_LARGE, `content of ${n} bytes exceeds ${max - 1}`);
  }
  return Math.min(max, Math.max(MIN_PADDED_LENGTH, padme(n + 1)));
}

export function pad(content: Uint8Array, max: number = MAX_PADDED_LENGTH): Uint8Array {
  const out = new Uint8Array(paddedLength(content.length, max));
  out.set(content);
  out[content.length] = MARKER;
  return out;
}

/**
 * Pads in place: `padded` (of its paddedLength) already holds `contentLength` content bytes at
 * its start; writes the marker and zeroes the rest. Only that tail is written, so a reused
 * buffer costs no full zero-fill: stale bytes of an earlier frame beyond the content are
 * overwritten here, and the content overwrote the rest.
 */
export function padInPlace(padded: Uint8Array, contentLength: number): Uint8Array {
  if (!Number.isSafeInteger(contentLength) || contentLength < 0 || contentLength >= padded.length) {
    throw new RangeError('content does not leave room for the padding marker');
  }
  padded[contentLength] = MARKER;
  padded.fill(0, contentLength + 1);
  return padded;
}

/** Returns a view into `padded` (no copy). Throws only PeerlineError(INVALID_FORMAT). */
export function unpad(padded: Uint8Array): Uint8Array {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== MARKER) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'padding marker missing');
  }
  return padded.subarray(0, i);
}
