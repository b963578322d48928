// Safety numbers: what two people compare (aloud, or by scanning a QR code) to be sure each holds
// the other's real key. Modelled on Signal's NumericFingerprintGenerator (version 2 displayable
// fingerprint), with our own domain-separation string and no separate stable identifier — in
// Peerline the public key is the identifier.
//
// Algorithm (PROTOCOL.md §"Safety numbers"), for each 32-byte Ed25519 public key K:
//   h_1 = SHA-512(0x00 0x00 || utf8("peerline-safety-number") || K)
//   h_i = SHA-512(h_{i−1} || K)                     for i = 2 … 5200   (5200 hashes in total)
//   take the first 30 bytes of h_5200; split into 6 chunks of 5 bytes; read each chunk as a
//   big-endian 40-bit unsigned integer, reduce mod 100000, write as 5 decimal digits (zero-padded)
//   → 30 digits per key.
// Safety number = digits(first key) || digits(second key), where "first" is the key that is
//   smaller in bytewise lexicographic order, so both sides compute the same 60 digits.
// Displayed as 12 groups of 5 digits.
//
// QR payload: "peerline-sn:1:" || hex(first key) || hex(second key)   (lowercase hex, 142 chars).
// Scanning compares full keys, not digits, so it is stronger than reading the numbers aloud.

import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, fromHex, toHex, utf8 } from './bytes.ts';
import { ErrorCode, PeerlineError } from './errors.ts';
import { ED25519_KEY_LENGTH } from './identity.ts';

export const SAFETY_NUMBER_ITERATIONS = 5200;
export const SAFETY_NUMBER_QR_PREFIX = 'peerline-sn:1:';
const FINGERPRINT_VERSION = new Uint8Array([0x00, 0x00]);
const DOMAIN = utf8('peerline-safety-number');
const SHA512_LENGTH = 64;

export interface SafetyNumber {
  /** 60 decimal digits. */
  readonly digits: string;
  /** The same digits as 12 groups of 5. */
  readonly groups: readonly string[];
}

export type QrVerdict = 'match' | 'mismatch' | 'invalid';

function assertKey(key: Uint8Array): void {
  if (key.length !== ED25519_KEY_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'safety numbers need 32-byte public keys');
  }
}

/** Bytewise lexicographic comparison; keys have equal length here. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function ordered(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  return compareBytes(a, b) <= 0 ? [a, b] : [b, a];
}

/** The 30 digits of one key. */
function keyDigits(key: Uint8Array): string {
  let h = sha512(concatBytes(FINGERPRINT_VERSION, DOMAIN, key));
  // One reused buffer h || K instead of 5199 fresh concatenations.
  const buf = new Uint8Array(SHA512_LENGTH + key.length);
  buf.set(key, SHA512_LENGTH);
  for (let i = 1; i < SAFETY_NUMBER_ITERATIONS; i++) {
    buf.set(h, 0);
    h = sha512(buf);
  }
  let out = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    // Big-endian 40-bit integer: above 32-bit bitwise range, but exact in a double (< 2^53).
    let value = 0;
    for (let j = chunk * 5; j < chunk * 5 + 5; j++) value = value * 256 + (h[j] ?? 0);
    out += String(value % 100000).padStart(5, '0');
  }
  return out;
}

export function safetyNumber(a: Uint8Array, b: Uint8Array): SafetyNumber {
  assertKey(a);
  assertKey(b);
  const [first, second] = ordered(a, b);
  const digits = keyDigits(first) + keyDigits(second);
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5));
  return { digits, groups };
}

export function safetyNumberQrPayload(a: Uint8Array, b: Uint8Array): string {
  assertKey(a);
  assertKey(b);
  const [first, second] = ordered(a, b);
  return SAFETY_NUMBER_QR_PREFIX + toHex(first) + toHex(second);
}

const QR_BODY = /^[0-9a-f]{128}$/;

/**
 * 'invalid': not a Peerline safety-number QR code at all (wrong prefix, version, length, hex, or
 * keys not in canonical order) — tell the user they scanned something else.
 * 'mismatch': a well-formed code for a different pair of keys — a possible interception.
 */
export function verifySafetyNumberQr(
  payload: string,
  ownKey: Uint8Array,
  theirKey: Uint8Array,
): QrVerdict {
  assertKey(ownKey);
  assertKey(theirKey);
  const text = payload.trim();
  if (!text.startsWith(SAFETY_NUMBER_QR_PREFIX)) return 'invalid';
  const body = text.slice(SAFETY_NUMBER_QR_PREFIX.length);
  if (!QR_BODY.test(body)) return 'invalid';
  const keys = fromHex(body);
  if (keys === undefined) return 'invalid';
  const scannedFirst = keys.subarray(0, ED25519_KEY_LENGTH);
  const scannedSecond = keys.subarray(ED25519_KEY_LENGTH);
  if (compareBytes(scannedFirst, scannedSecond) > 0) return 'invalid';
  const [first, second] = ordered(ownKey, theirKey);
  return equalBytes(scannedFirst, first) && equalBytes(scannedSecond, second)
    ? 'match'
    : 'mismatch';
}
