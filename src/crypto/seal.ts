// Sealed signals (docs/signaling.md §Sealed signals): a WebRTC offer/answer/candidate sealed to
// the recipient's address so the signaling Worker can neither read it nor pass off a rewritten
// one. Construction: ephemeral-static X25519 (RFC 7748 §6.1) to the X25519 form of the
// recipient's Ed25519 key (RFC 7748 §4.1 birational map), HKDF-SHA-256 (RFC 5869), AES-256-GCM
// (NIST SP 800-38D), and inside it the sender's Ed25519 key and signature (RFC 8032 §5.1.6),
// verified strictly (§5.1.7, no ZIP-215 leniency).
//
// sealed    = version[1]=0x01 ‖ E[32] ‖ AES-256-GCM(key, nonce, plaintext, aad = version ‖ E)
// plaintext = S[32] ‖ timestamp_ms u64be[8] ‖ id[16] ‖ signature[64] ‖ payload
// okm       = HKDF-SHA-256(ikm = X25519(e, R), salt = E ‖ R, info = KDF_LABEL ‖ recipientEd, 44)
// key       = okm[0..32), nonce = okm[32..44)       (one key per ephemeral: nonce reuse-free)
// signature = Ed25519(S, SIG_LABEL ‖ 0x00 ‖ recipientEd ‖ E ‖ S ‖ timestamp ‖ id ‖ payload)
import { gcm } from '@noble/ciphers/aes.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes, equalBytes, isAllZero, toHex, utf8, wipe } from './bytes.ts';
import { ErrorCode, PeerlineError } from './errors.ts';
import { assertValidPublicKey } from './noise/x25519-key.ts';

export const SEAL_VERSION = 1;
export const SEAL_KDF_LABEL = 'peerline-seal/1/kdf';
export const SEAL_SIG_LABEL = 'peerline-seal/1/sig';
/** Signals older or newer than this (sender vs recipient clock) are refused as stale. */
export const SEAL_MAX_SKEW_MS = 10 * 60_000;
const HEADER = 1 + 32;
const INNER_FIXED = 32 + 8 + 16 + 64;
const TAG = 16;
/** Smallest well-formed sealed signal (empty payload). */
export const SEAL_OVERHEAD = HEADER + INNER_FIXED + TAG;

export interface Signer {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface Opened {
  sender: Uint8Array;
  payload: Uint8Array;
  timestamp: number;
  id: Uint8Array;
}

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

function signedBytes(
  recipient: Uint8Array,
  eph: Uint8Array,
  sender: Uint8Array,
  ts: Uint8Array,
  id: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return concatBytes(
    utf8(SEAL_SIG_LABEL),
    new Uint8Array([0]),
    recipient,
    eph,
    sender,
    ts,
    id,
    payload,
  );
}

/** X25519 with the all-zero output check of RFC 7748 §6.1 (noble also refuses low-order keys). */
function sharedSecret(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  let dh: Uint8Array;
  try {
    dh = x25519.getSharedSecret(secret, publicKey);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'low-order or invalid X25519 key', { cause });
  }
  if (isAllZero(dh)) throw new PeerlineError(ErrorCode.INVALID_KEY, 'all-zero X25519 output');
  return dh;
}

/** HKDF-SHA-256 (RFC 5869) over the DH output; consumes (wipes) `dh`. */
function keyAndNonce(
  dh: Uint8Array,
  eph: Uint8Array,
  recipientX: Uint8Array,
  recipientEd: Uint8Array,
): { key: Uint8Array; nonce: Uint8Array } {
  const info = concatBytes(utf8(SEAL_KDF_LABEL), recipientEd);
  const okm = hkdf(sha256, dh, concatBytes(eph, recipientX), info, 44);
  wipe(dh);
  return { key: okm.slice(0, 32), nonce: okm.slice(32, 44) };
}

function montgomery(edPublic: Uint8Array): Uint8Array {
  try {
    return ed25519.utils.toMontgomery(edPublic);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'recipient is not an Ed25519 public key', {
      cause,
    });
  }
}

export interface SealOptions {
  now?: number;
  /** Test hook: 32-byte ephemeral X25519 secret (default: fresh random). */
  ephemeralSecret?: Uint8Array;
  /** Test hook: 16-byte signal id (default: fresh random). */
  id?: Uint8Array;
}

export function seal(
  sender: Signer,
  recipient: Uint8Array,
  payload: Uint8Array,
  opts: SealOptions = {},
): Uint8Array {
  const recipientX = montgomery(recipient);
  const e = opts.ephemeralSecret ?? x25519.utils.randomSecretKey();
  const eph = x25519.getPublicKey(e);
  const { key, nonce } = keyAndNonce(sharedSecret(e, recipientX), eph, recipientX, recipient);
  if (!opts.ephemeralSecret) wipe(e);
  const ts = u64(opts.now ?? Date.now());
  const id = opts.id ?? randomBytes(16);
  const sig = ed25519.sign(
    signedBytes(recipient, eph, sender.publicKey, ts, id, payload),
    sender.secretKey,
  );
  const header = concatBytes(new Uint8Array([SEAL_VERSION]), eph);
  const plaintext = concatBytes(sender.publicKey, ts, id, sig, payload);
  const ct = gcm(key, nonce, header).encrypt(plaintext);
  wipe(key, nonce, plaintext);
  return concatBytes(header, ct);
}

/**
 * Remembers (sender, id) of accepted signals for as long as their timestamps are acceptable, so
 * a replay inside the window is refused and the cache stays bounded. When full of live entries
 * the oldest is evicted: a bound on memory at the cost of a replay of a signal that old.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 4096) {}

  /** Returns false when the entry was already present (a replay); records it otherwise. */
  add(key: string, expiresAt: number, now: number): boolean {
    if (this.seen.has(key) && (this.seen.get(key) ?? 0) > now) return false;
    for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
    while (this.seen.size >= this.capacity) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
    this.seen.set(key, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

export interface OpenOptions {
  recipient: Signer;
  /** The sender the Worker claims (`from`): must equal the signed sender inside. */
  claimedSender: Uint8Array;
  replay: ReplayCache;
  now?: number;
}

export function open(sealed: Uint8Array, opts: OpenOptions): Opened {
  if (sealed.length < SEAL_OVERHEAD) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'sealed signal too short');
  }
  if (sealed[0] !== SEAL_VERSION) {
    throw new PeerlineError(ErrorCode.VERSION_UNSUPPORTED, 'unknown sealed-signal version');
  }
  const header = sealed.subarray(0, HEADER);
  const eph = sealed.subarray(1, HEADER);
  // §1.1: a received X25519 key must be canonical (top bit clear, u < p) and not small-order;
  // X25519 itself ignores the top bit, so E and E|0x80… would otherwise both open.
  assertValidPublicKey(eph);
  const recipientX = montgomery(opts.recipient.publicKey);
  const secret = ed25519.utils.toMontgomerySecret(opts.recipient.secretKey);
  let dh: Uint8Array;
  try {
    dh = sharedSecret(secret, eph);
  } finally {
    wipe(secret);
  }
  const { key, nonce } = keyAndNonce(dh, eph, recipientX, opts.recipient.publicKey);
  let pt: Uint8Array;
  try {
    pt = gcm(key, nonce, header).decrypt(sealed.subarray(HEADER));
  } catch (cause) {
    throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'sealed signal failed authentication', {
      cause,
    });
  } finally {
    wipe(key, nonce);
  }
  const sender = pt.slice(0, 32);
  const ts = pt.subarray(32, 40);
  const id = pt.slice(40, 56);
  const sig = pt.subarray(56, 120);
  const payload = pt.slice(120);
  let valid = false;
  try {
    const msg = signedBytes(opts.recipient.publicKey, eph, sender, ts, id, payload);
    valid = ed25519.verify(sig, msg, sender, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid)
    throw new PeerlineError(ErrorCode.INVALID_SIGNATURE, 'sealed signal signature invalid');
  if (!equalBytes(sender, opts.claimedSender)) {
    throw new PeerlineError(
      ErrorCode.IDENTITY_MISMATCH,
      'signed sender differs from claimed sender',
    );
  }
  const timestamp = Number(new DataView(ts.buffer, ts.byteOffset, 8).getBigUint64(0));
  const now = opts.now ?? Date.now();
  if (Math.abs(now - timestamp) > SEAL_MAX_SKEW_MS) {
    throw new PeerlineError(ErrorCode.OUT_OF_SEQUENCE, 'sealed signal is stale');
  }
  if (!opts.replay.add(`${toHex(sender)}:${toHex(id)}`, timestamp + SEAL_MAX_SKEW_MS, now)) {
    throw new PeerlineError(ErrorCode.OUT_OF_SEQUENCE, 'sealed signal replayed');
  }
  return { sender, payload, timestamp, id };
}
