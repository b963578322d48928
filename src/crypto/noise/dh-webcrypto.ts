// X25519 through WebCrypto (Noise rev34 §12.1). Secrets are imported once (PKCS#8) into
// non-extractable CryptoKeys; ephemerals are generated inside WebCrypto and never leave it.

import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../bytes.ts';
import { bufferSource, subtleCrypto } from './backend.ts';
import type { DhBackendImpl, KeyPair, LocalKeyPair } from './dh.ts';

/** DER prefix of a PKCS#8 PrivateKeyInfo for X25519 (OID 1.3.101.110), then the 32-byte key. */
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

const ALG = { name: 'X25519' } as const;

function subtle(): SubtleCrypto {
  const s = subtleCrypto();
  if (s === undefined) throw new Error('WebCrypto is not available; use the noble DH backend');
  return s;
}

// Remote keys are used for up to two DHs each (e.g. XX initiator: ee and se with re), so the
// imported CryptoKey is cached per key buffer. The handshake never mutates those buffers.
const publicKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function importPublic(pub: Uint8Array): Promise<CryptoKey> {
  let k = publicKeys.get(pub);
  if (k === undefined) {
    k = subtle().importKey('raw', bufferSource(pub), ALG, true, []);
    publicKeys.set(pub, k);
  }
  return k;
}

// PKCS#8 import costs ~0.4 ms in Node, more than a DH, and a static key is reused for every
// handshake; so the import is cached per secret-key buffer. The entry remembers a hash of the
// key bytes, so a buffer that was overwritten since is imported afresh, never matched stale.
const privateKeys = new WeakMap<Uint8Array, { tag: Uint8Array; key: Promise<CryptoKey> }>();

function importPrivate(kp: KeyPair): Promise<CryptoKey> {
  const tag = sha256.create().update(kp.secretKey).update(kp.publicKey).digest();
  const hit = privateKeys.get(kp.secretKey);
  if (hit !== undefined && equalBytes(hit.tag, tag)) return hit.key;
  const der = new Uint8Array(PKCS8_PREFIX.length + kp.secretKey.length);
  der.set(PKCS8_PREFIX);
  der.set(kp.secretKey, PKCS8_PREFIX.length);
  const key = subtle()
    .importKey('pkcs8', der, ALG, false, ['deriveBits'])
    .finally(() => der.fill(0));
  privateKeys.set(kp.secretKey, { tag, key });
  key.catch(() => privateKeys.delete(kp.secretKey));
  return key;
}

export const webCryptoDh: DhBackendImpl = {
  backend: 'webcrypto',
  async generateKeyPair(): Promise<LocalKeyPair> {
    const pair = await subtle().generateKey(ALG, false, ['deriveBits']);
    if (!('privateKey' in pair)) throw new Error('X25519 generateKey returned no key pair');
    const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
    return { kind: 'webcrypto', publicKey, privateKey: pair.privateKey };
  },
  async importKeyPair(kp: KeyPair): Promise<LocalKeyPair> {
    const privateKey = await importPrivate(kp);
    return { kind: 'webcrypto', publicKey: kp.publicKey.slice(), privateKey };
  },
  async rawDh(local: LocalKeyPair, remotePublic: Uint8Array): Promise<Uint8Array> {
    if (local.kind !== 'webcrypto') throw new Error('key pair belongs to another DH backend');
    const pub = await importPublic(remotePublic);
    return new Uint8Array(
      await subtle().deriveBits({ ...ALG, public: pub }, local.privateKey, 256),
    );
  },
};
