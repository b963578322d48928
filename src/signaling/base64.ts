// Strict standard base64 (RFC 4648 §4, with padding) for the signaling wire. Strict means one
// encoding per byte string: a decoder that accepted non-zero padding bits or missing padding would
// let the same sealed signal travel under several spellings, which defeats string-keyed caches.

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so very large inputs do not overflow the argument list of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** Cheap syntax check (no decoding): what the Worker uses on payloads it cannot read. */
export function isBase64(s: string): boolean {
  // Same strings as B64 (a multiple of 4 long, at most two `=` at the end), in half the time:
  // this runs on every signal the Worker routes.
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

/** Decodes canonical base64; returns undefined for anything else. */
export function fromBase64(s: string): Uint8Array | undefined {
  if (!B64.test(s)) return undefined;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Non-zero bits in the last sextet decode to the same bytes: reject them (canonical form only).
  return toBase64(out) === s ? out : undefined;
}
