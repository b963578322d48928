// DH functions for Curve25519 (Noise rev34 §4.1, §12.1) over two interchangeable backends.

import { isAllZero } from '../bytes.ts';
import { ErrorCode, isPeerlineError, PeerlineError } from '../errors.ts';
import type { DhBackend } from './backend.ts';
import { nobleDh } from './dh-noble.ts';
import { webCryptoDh } from './dh-webcrypto.ts';
import { assertValidPublicKey, DHLEN } from './x25519-key.ts';

/** A caller-held X25519 key pair (raw bytes; same shape as identity.ts X25519KeyPair). */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** A key pair prepared for one backend. The WebCrypto form never exposes its secret. */
export type LocalKeyPair =
  | { readonly kind: 'webcrypto'; readonly publicKey: Uint8Array; readonly privateKey: CryptoKey }
  | { readonly kind: 'noble'; readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };

/** What a backend implements; `dh` may assume a validated public key. */
export interface DhBackendImpl {
  readonly backend: DhBackend;
  generateKeyPair(): Promise<LocalKeyPair>;
  /** Copies what it keeps, so wiping a LocalKeyPair never touches the caller's KeyPair. */
  importKeyPair(kp: KeyPair): Promise<LocalKeyPair>;
  rawDh(local: LocalKeyPair, remotePublic: Uint8Array): Promise<Uint8Array>;
}

export interface DhFunctions extends DhBackendImpl {
  /**
   * §4.1 DH(key_pair, public_key), with Peerline's checks: the peer key must be canonical and
   * not of small order, and an all-zero output is refused (PROTOCOL.md: INVALID_KEY).
   */
  dh(local: LocalKeyPair, remotePublic: Uint8Array): Promise<Uint8Array>;
}

export function dhFunctions(backend: DhBackend): DhFunctions {
  return withKeyChecks(backend === 'webcrypto' ? webCryptoDh : nobleDh);
}

/** Wraps a backend with the checks every DH gets (exported so tests can feed a fake backend). */
export function withKeyChecks(impl: DhBackendImpl): DhFunctions {
  return {
    ...impl,
    async dh(local, remotePublic) {
      assertValidPublicKey(remotePublic);
      let out: Uint8Array;
      try {
        out = await impl.rawDh(local, remotePublic);
      } catch (cause) {
        if (isPeerlineError(cause)) throw cause;
        throw new PeerlineError(ErrorCode.INVALID_KEY, 'X25519 rejected the key', { cause });
      }
      if (out.length !== DHLEN || isAllZero(out)) {
        throw new PeerlineError(ErrorCode.INVALID_KEY, 'X25519 output is all zero');
      }
      return out;
    },
  };
}

export function assertKeyPairShape(kp: KeyPair, what: string): void {
  if (kp.publicKey.length !== DHLEN || kp.secretKey.length !== DHLEN) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, `${what}: X25519 keys must be ${DHLEN} bytes`);
  }
}
