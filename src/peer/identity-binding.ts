// Identity binding (PROTOCOL.md §2.2). Noise authenticates only the X25519 static key `rs`, and
// the Ed25519→X25519 map is two-to-one (the sign of x is lost), so the peer also names its
// Ed25519 key in the handshake payload and we check that it maps to `rs` — then, if we know
// whom we are calling, that it is that contact.

import { equalBytes } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { x25519FromEdPublic } from '../crypto/identity.ts';

export function bindIdentity(
  ed: Uint8Array,
  rs: Uint8Array | undefined,
  expectedPeer: Uint8Array | undefined,
): Uint8Array {
  let mapped: Uint8Array;
  try {
    mapped = x25519FromEdPublic(ed);
  } catch (cause) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key is invalid', { cause });
  }
  if (rs === undefined || !equalBytes(mapped, rs)) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer Ed25519 key does not match rs');
  }
  if (expectedPeer !== undefined && !equalBytes(ed, expectedPeer)) {
    throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'peer is not the expected contact');
  }
  return Uint8Array.from(ed);
}
