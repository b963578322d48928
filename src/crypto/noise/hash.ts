// HASH, HMAC-HASH and HKDF for SHA256 (Noise rev34 §4.3, §12.5), synchronous via noble.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { wipe } from '../bytes.ts';

/** §12.5: SHA256 has HASHLEN = 32 and BLOCKLEN = 64. */
export const HASHLEN = 32;

export function hash(data: Uint8Array): Uint8Array {
  return sha256(data);
}

/** HASH(a || b) without materialising the concatenation (MixHash runs on every token). */
export function hash2(a: Uint8Array, b: Uint8Array): Uint8Array {
  return sha256.create().update(a).update(b).digest();
}

const BYTE = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])] as const;

/**
 * §4.3 HKDF(chaining_key, input_key_material, num_outputs):
 *   temp_key = HMAC-HASH(chaining_key, input_key_material)
 *   output1  = HMAC-HASH(temp_key, byte(0x01))
 *   output2  = HMAC-HASH(temp_key, output1 || byte(0x02))
 *   output3  = HMAC-HASH(temp_key, output2 || byte(0x03))
 */
export function hkdf(
  chainingKey: Uint8Array,
  ikm: Uint8Array,
  outputs: 2,
): [Uint8Array, Uint8Array];
export function hkdf(
  chainingKey: Uint8Array,
  ikm: Uint8Array,
  outputs: 3,
): [Uint8Array, Uint8Array, Uint8Array];
export function hkdf(chainingKey: Uint8Array, ikm: Uint8Array, outputs: 2 | 3): Uint8Array[] {
  const tempKey = hmac(sha256, chainingKey, ikm);
  const out1 = hmac.create(sha256, tempKey).update(BYTE[0]).digest();
  const out2 = hmac.create(sha256, tempKey).update(out1).update(BYTE[1]).digest();
  const result = [out1, out2];
  if (outputs === 3)
    result.push(hmac.create(sha256, tempKey).update(out2).update(BYTE[2]).digest());
  wipe(tempKey);
  return result;
}
