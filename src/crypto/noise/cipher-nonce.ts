// Nonce encodings of the two AEADs: the 64-bit Noise counter n inside a 96-bit nonce.

/** §12.3 ChaChaPoly: 32 bits of zeros followed by the little-endian 64-bit n. */
export function chachaNonce(n: bigint): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  new DataView(b.buffer).setBigUint64(4, n, true);
  return b;
}

/** §12.4 AESGCM: 32 bits of zeros followed by the big-endian 64-bit n. */
export function aesGcmNonce(n: bigint): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  new DataView(b.buffer).setBigUint64(4, n, false);
  return b;
}
