// Identity binding (PROTOCOL.md §2.2). Noise authenticates only the X25519 static key `rs`, and
// the Ed25519→X25519 map is two-to-one (the sign of x is lost), so the peer also names its
// Ed25519 key in the handshake payload and we check that it maps to `rs` — then, if we know
// whom we are calling, that it is that contact.
//
// Order of the checks: x25519FromEdPublic answers from a cache of keys validated before, so its
// timing tells whether a key was seen recently. It therefore only ever runs on a key the peer
// has just proven to own: one equal to the expected contact, or (no contact expected) one whose
// plain mapping already equals the Noise-authenticated `rs`. A peer naming someone else's key
// is rejected before the cache is consulted, in time that does not depend on it.

import { equalBytes } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { unvalidatedX25519FromEdPublic, x25519FromEdPublic } from '../crypto/identity.ts';

export function bindIdentity(
  ed: Uint8Array,
  rs: Uint8Array | undefined,
  expectedPeer: Uint8Array | undefined,
): Uint8Array {
  if (expectedPeer !== undefined && !equalBytes(ed, expectedPeer)) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer is not the expected contact');
  }
  if (rs === undefined) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key does not match rs');
  }
  if (expectedPeer === undefined) matchesRs(unmappedOrMismatch(ed), rs);
  let mapped: Uint8Array;
  try {
    mapped = x25519FromEdPublic(ed);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key is invalid', { cause });
  }
  matchesRs(mapped, rs);
  return Uint8Array.from(ed);
}

function unmappedOrMismatch(ed: Uint8Array): Uint8Array {
  try {
    return unvalidatedX25519FromEdPublic(ed);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key is invalid', { cause });
  }
}

function matchesRs(mapped: Uint8Array, rs: Uint8Array): void {
  if (!equalBytes(mapped, rs)) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key does not match rs');
  }
}
