// Peerline identity: one Ed25519 key pair (RFC 8032 §5.1) whose public key is the user's address,
// plus the X25519 key pair (RFC 7748) derived from it by the Edwards→Montgomery birational map
// (RFC 7748 §4.1: u = (1 + y) / (1 − y)). The X25519 pair is what Noise uses for DH; deriving it
// rather than storing a second key means the address alone names both keys.
//
// Serialized identity (the only secret we persist or back up):
//   byte 0      IDENTITY_FORMAT_V1 = 0x01   (version tag, so a future format can be told apart)
//   bytes 1..33 the 32-byte Ed25519 seed    (RFC 8032 §5.1.5 "private key")
// Everything else is derived again on load, so a stored public key can never disagree with it.

import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from './bytes.ts';
import { ErrorCode, PeerlineError } from './errors.ts';

export const ED25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;
export const IDENTITY_FORMAT_V1 = 0x01;
export const SERIALIZED_IDENTITY_LENGTH = 1 + ED25519_KEY_LENGTH;

export interface X25519KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface Identity {
  /** The 32-byte RFC 8032 seed. Secret. */
  readonly edSecretKey: Uint8Array;
  /** The 32-byte Ed25519 public key: the user's address. */
  readonly edPublicKey: Uint8Array;
  readonly x25519: X25519KeyPair;
}

export function generateIdentity(): Identity {
  return identityFromSeed(ed25519.utils.randomSecretKey());
}

export function identityFromSeed(seed: Uint8Array): Identity {
  if (seed.length !== ED25519_KEY_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'identity seed must be 32 bytes');
  }
  // Our own copy: noble's keygen keeps the buffer it is given, and a caller wiping theirs must
  // not wipe ours (nor the reverse).
  const edSecretKey = Uint8Array.from(seed);
  const edPublicKey = ed25519.getPublicKey(edSecretKey);
  return {
    edSecretKey,
    edPublicKey,
    x25519: {
      // RFC 7748 §5 clamping of SHA-512(seed)[0..32], the scalar RFC 8032 §5.1.5 signs with.
      secretKey: ed25519.utils.toMontgomerySecret(edSecretKey),
      publicKey: ed25519.utils.toMontgomery(edPublicKey),
    },
  };
}

/** Secret: wipe the result when done. ArrayBuffer-backed so WebCrypto accepts it as is. */
export function serializeIdentity(identity: Identity): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(SERIALIZED_IDENTITY_LENGTH);
  out[0] = IDENTITY_FORMAT_V1;
  out.set(identity.edSecretKey, 1);
  return out;
}

export function deserializeIdentity(bytes: Uint8Array): Identity {
  if (bytes.length !== SERIALIZED_IDENTITY_LENGTH || bytes[0] !== IDENTITY_FORMAT_V1) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'not a version 1 identity');
  }
  return identityFromSeed(bytes.subarray(1));
}

/**
 * Keys that passed every check of x25519FromEdPublic, mapped to their X25519 key. The torsion
 * check is a full scalar multiplication (0.3–0.7 ms) and a contact's key is checked again on
 * every handshake, so each key is validated once per page instead. Only public keys are held,
 * only keys that passed are held (a failure is recomputed, and throws, every time), and the map
 * is bounded: a peer cycling through keys only evicts older entries. Hits are moved to the end,
 * so the first key in iteration order is the least recently used.
 */
export const VALIDATED_KEYS_MAX = 256;
const validatedKeys = new Map<string, Uint8Array>();

const BYTE_CHARS = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** A Map key for 32 bytes: one UTF-16 unit per byte (injective, cheaper to build than hex). */
function keyId(edPub: Uint8Array): string {
  let id = '';
  for (const b of edPub) id += BYTE_CHARS[b] ?? '';
  return id;
}

/**
 * Decodes an Ed25519 public key strictly (RFC 8032 §5.1.3 with the canonical-y rule: y < p, and
 * no x = 0 with the sign bit set) and returns its X25519 u-coordinate. Rejects with INVALID_KEY:
 * - encodings that do not decode, or that decode but do not re-encode to the same bytes;
 * - small-order points (the 8 torsion points): DH with them yields a key the attacker knows;
 * - points with a torsion component (not in the prime-order subgroup). An honest key [a]B never
 *   has one, and accepting A + T would give one person up to 8 addresses that are the same
 *   X25519 key after clamping — two "different" contacts that are really one.
 * Results of keys seen before come from a bounded cache (see validatedKeys); the caller always
 * gets its own copy.
 */
export function x25519FromEdPublic(edPub: Uint8Array): Uint8Array {
  if (edPub.length !== ED25519_KEY_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key must be 32 bytes');
  }
  const id = keyId(edPub);
  const hit = validatedKeys.get(id);
  if (hit !== undefined) {
    validatedKeys.delete(id);
    validatedKeys.set(id, hit);
    return hit.slice();
  }
  const u = validateEdPublic(edPub);
  validatedKeys.set(id, u.slice());
  if (validatedKeys.size > VALIDATED_KEYS_MAX) {
    const oldest = validatedKeys.keys().next();
    if (oldest.done !== true) validatedKeys.delete(oldest.value);
  }
  return u;
}

/** Number of keys in the validated-key cache (tests of its bound). */
export function validatedKeyCacheSize(): number {
  return validatedKeys.size;
}

/**
 * The X25519 key `edPub` maps to (RFC 7748 §4.1), decoded but NOT validated: only for comparing
 * with a key that is validated otherwise. Throws INVALID_KEY if the bytes are no curve point.
 */
export function unvalidatedX25519FromEdPublic(edPub: Uint8Array): Uint8Array {
  if (edPub.length !== ED25519_KEY_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key must be 32 bytes');
  }
  try {
    return ed25519.utils.toMontgomery(edPub);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key is not a curve point', { cause });
  }
}

function validateEdPublic(edPub: Uint8Array): Uint8Array {
  let point: ReturnType<typeof ed25519.Point.fromBytes>;
  try {
    point = ed25519.Point.fromBytes(edPub, false);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key is not a curve point', { cause });
  }
  if (!equalBytes(point.toBytes(), edPub)) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key encoding is not canonical');
  }
  if (point.isSmallOrder()) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key has small order');
  }
  if (!point.isTorsionFree()) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'public key is outside the prime-order group');
  }
  return ed25519.utils.toMontgomery(edPub);
}

/** Whether `edPub` passes every check of x25519FromEdPublic. */
export function isValidIdentityKey(edPub: Uint8Array): boolean {
  try {
    x25519FromEdPublic(edPub);
    return true;
  } catch {
    return false;
  }
}

/** RFC 8032 §5.1.6 (deterministic, no context). */
export function sign(identity: Identity, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, identity.edSecretKey);
}

/**
 * RFC 8032 §5.1.7 verification with noble's strict mode (`zip215: false`): rejects S ≥ L,
 * non-canonical R and A, and small-order A, so a signature cannot be malleated into a second
 * valid one. Wrong lengths return false instead of throwing: inputs come from the network.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) {
    return false;
  }
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
