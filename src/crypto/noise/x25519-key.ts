// Checks on X25519 public keys received from a peer (PROTOCOL.md: INVALID_KEY). RFC 7748 would
// silently mask the top bit and reduce mod p; Peerline instead rejects such encodings so every
// key has exactly one accepted byte form, and rejects small-order points whose DH output does
// not depend on our secret (Noise rev34 §12.1 allows either behaviour for invalid keys).

import { equalBytes } from '../bytes.ts';
import { ErrorCode, PeerlineError } from '../errors.ts';

export const DHLEN = 32;

const P = 2n ** 255n - 19n;

function encodeLE(u: bigint): Uint8Array {
  const out = new Uint8Array(DHLEN);
  for (let i = 0; i < DHLEN; i++) out[i] = Number((u >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * The canonical u-coordinates of small order on the curve or its twist (0, 1, p−1 and the two
 * order-8 points): the same list libsodium blocks. The encodings p, p+1 and the high-bit
 * variants are caught by the canonical-form checks before this list is consulted. Compared as
 * bytes: this runs for every received key and every DH, and BigInt decoding costs ~4 µs.
 */
const SMALL_ORDER: readonly Uint8Array[] = [
  0n,
  1n,
  P - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
].map(encodeLE);

/** u ≥ p for a key whose top bit is clear: p = 2^255−19 is `ed ff … ff 7f` little-endian. */
function isNonCanonical(pub: Uint8Array): boolean {
  if (pub[DHLEN - 1] !== 0x7f) return false;
  for (let i = DHLEN - 2; i >= 1; i--) if (pub[i] !== 0xff) return false;
  return (pub[0] ?? 0) >= 0xed;
}

/** Throws INVALID_KEY unless `pub` is a canonical, non-small-order X25519 public key. */
export function assertValidPublicKey(pub: Uint8Array): void {
  if (pub.length !== DHLEN) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, `X25519 public key must be ${DHLEN} bytes`);
  }
  if (((pub[DHLEN - 1] ?? 0) & 0x80) !== 0) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'X25519 public key has its top bit set');
  }
  if (isNonCanonical(pub)) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'X25519 public key is not canonical (u >= p)');
  }
  if (SMALL_ORDER.some((k) => equalBytes(k, pub))) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'X25519 public key has small order');
  }
}
