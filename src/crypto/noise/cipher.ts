// Cipher functions (Noise rev34 §4.2) behind one async interface, so the WebCrypto AES-GCM
// backend (asynchronous by nature) and the noble backends are interchangeable.

import type { AesBackend } from './backend.ts';
import { NobleAesGcmKey, NobleChaChaKey } from './cipher-noble.ts';
import { WebCryptoAesGcmKey } from './cipher-webcrypto.ts';
import type { CipherName } from './protocol.ts';

/** A 32-byte key, or a promise of one (REKEY derives the next key asynchronously). */
export type KeyMaterial = Uint8Array | Promise<Uint8Array>;

/**
 * One cipher key, prepared once for many messages (WebCrypto: one importKey per key).
 * `decrypt` rejects when authentication fails; callers map that to a typed error.
 */
export interface AeadKey {
  encrypt(n: bigint, ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  decrypt(n: bigint, ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** An independent key object with the same key (its own copy of any raw bytes). */
  clone(): AeadKey;
  /** Forgets the key; raw bytes are zeroed. Later use rejects. */
  wipe(): void;
}

export interface CipherFunctions {
  readonly name: CipherName;
  /** The implementation actually used: ChaChaPoly is always noble (WebCrypto lacks it). */
  readonly backend: AesBackend;
  /** Takes ownership of `key`: the bytes are zeroed once no longer needed. */
  createKey(key: KeyMaterial): AeadKey;
}

/** 16-byte authentication tag of both AEADs (§4.2: ciphertext = plaintext + 16 bytes). */
export const TAGLEN = 16;

export function cipherFunctions(name: CipherName, aes: AesBackend): CipherFunctions {
  if (name === 'ChaChaPoly') {
    return { name, backend: 'noble', createKey: (key) => new NobleChaChaKey(key) };
  }
  if (aes === 'webcrypto') {
    return { name, backend: 'webcrypto', createKey: (key) => WebCryptoAesGcmKey.fromRaw(key) };
  }
  return { name, backend: 'noble', createKey: (key) => new NobleAesGcmKey(key) };
}
