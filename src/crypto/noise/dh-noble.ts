// X25519 through noble (Noise rev34 §12.1): portable fallback and test cross-check.

import { x25519 } from '@noble/curves/ed25519.js';
import type { DhBackendImpl, KeyPair, LocalKeyPair } from './dh.ts';

/** A fresh random key pair as raw bytes (static keys, tests). */
export function generateKeyPair(): KeyPair {
  const secretKey = x25519.utils.randomSecretKey();
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** The public key of an X25519 secret (RFC 7748 clamping applies). */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

export const nobleDh: DhBackendImpl = {
  backend: 'noble',
  async generateKeyPair(): Promise<LocalKeyPair> {
    const kp = generateKeyPair();
    return { kind: 'noble', publicKey: kp.publicKey, secretKey: kp.secretKey };
  },
  async importKeyPair(kp: KeyPair): Promise<LocalKeyPair> {
    return { kind: 'noble', publicKey: kp.publicKey.slice(), secretKey: kp.secretKey.slice() };
  },
  async rawDh(local: LocalKeyPair, remotePublic: Uint8Array): Promise<Uint8Array> {
    if (local.kind !== 'noble') throw new Error('key pair belongs to another DH backend');
    return x25519.getSharedSecret(local.secretKey, remotePublic);
  },
};
