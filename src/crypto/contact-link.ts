// Contact addresses and links. An address is the 32-byte Ed25519 public key as 64 lowercase hex
// characters. A link is `<base>/#<64 hex>`: the key lives in the URL fragment, which browsers
// never send to the server, so the static host cannot log who is adding whom.
//
// shortFingerprint: the first 8 bytes of SHA-256(key) (FIPS 180-4) as 4 space-separated groups
// of 4 hex characters, e.g. "3f2a 91c0 7be4 0d15". It is for "is this the person you meant?"
// confirm screens only; the safety number (safety-number.ts) is what authenticates a contact.

import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, fromHex, toHex } from './bytes.ts';
import { ErrorCode, PeerlineError } from './errors.ts';
import { ED25519_KEY_LENGTH, isValidIdentityKey } from './identity.ts';

export const ADDRESS_HEX_LENGTH = 2 * ED25519_KEY_LENGTH;

export type ParseFailure = 'empty' | 'wrong-length' | 'not-hex' | 'own-key' | 'invalid-key';

export type ParseResult =
  | { readonly ok: true; readonly key: Uint8Array; readonly hex: string }
  | { readonly ok: false; readonly reason: ParseFailure };

const HEX_CHARS = /^[0-9a-fA-F]*$/;

/**
 * Accepts what people paste: a full link from any origin (the key is read from the fragment), a
 * bare 64-hex key, either case, with surrounding whitespace. Never throws.
 */
export function parseContactInput(input: string, ownKey?: Uint8Array): ParseResult {
  const trimmed = input.trim();
  const hashAt = trimmed.indexOf('#');
  const candidate = (hashAt === -1 ? trimmed : trimmed.slice(hashAt + 1)).trim();
  if (candidate === '') return { ok: false, reason: 'empty' };
  if (!HEX_CHARS.test(candidate)) return { ok: false, reason: 'not-hex' };
  if (candidate.length !== ADDRESS_HEX_LENGTH) return { ok: false, reason: 'wrong-length' };
  const key = fromHex(candidate);
  if (key === undefined) return { ok: false, reason: 'not-hex' };
  if (ownKey !== undefined && equalBytes(key, ownKey)) return { ok: false, reason: 'own-key' };
  if (!isValidIdentityKey(key)) return { ok: false, reason: 'invalid-key' };
  return { ok: true, key, hex: toHex(key) };
}

/**
 * `base` is the app's origin, optionally with the path it is served under
 * ("https://example.org" or "https://example.org/peerline/"); trailing slashes are dropped.
 */
export function contactLink(base: string, key: Uint8Array): string {
  if (key.length !== ED25519_KEY_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_KEY, 'address must be a 32-byte public key');
  }
  return `${base.replace(/\/+$/, '')}/#${toHex(key)}`;
}

export function shortFingerprint(key: Uint8Array): string {
  const digest = toHex(sha256(key).subarray(0, 8));
  return [0, 4, 8, 12].map((i) => digest.slice(i, i + 4)).join(' ');
}
