// The two Noise handshakes Peerline runs (PROTOCOL.md §2, §4.2) and the mapping of Noise
// failures onto the error table: a handshake message that fails to decrypt or parse is
// HANDSHAKE_FAILED; a bad public key stays INVALID_KEY.

import { utf8 } from '../crypto/bytes.ts';
import { ErrorCode, isPeerlineError, PeerlineError } from '../crypto/errors.ts';
import type { Identity } from '../crypto/identity.ts';
import { type BackendOptions, HandshakeState } from '../crypto/noise/index.ts';

export const NOISE_PROTOCOL = 'Noise_XX_25519_AESGCM_SHA256';
/** §2: the prologue binds the protocol family; the re-handshake gets its own (§4.2). */
export const PROLOGUE = utf8('peerline/1');
export const REHANDSHAKE_PROLOGUE = utf8('peerline/1/rehandshake');

export function createXX(
  identity: Identity,
  initiator: boolean,
  prologue: Uint8Array,
  backend: BackendOptions | undefined,
): Promise<HandshakeState> {
  return HandshakeState.create({
    protocol: NOISE_PROTOCOL,
    initiator,
    prologue,
    s: identity.x25519,
    ...(backend === undefined ? {} : { backend }),
  });
}

export function asHandshakeError(e: unknown): PeerlineError {
  if (
    isPeerlineError(e) &&
    (e.code === ErrorCode.INVALID_KEY || e.code === ErrorCode.HANDSHAKE_FAILED)
  ) {
    return e;
  }
  return new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'handshake message rejected', { cause: e });
}

export async function readHandshake(hs: HandshakeState, message: Uint8Array): Promise<Uint8Array> {
  try {
    return await hs.readMessage(message);
  } catch (e) {
    throw asHandshakeError(e);
  }
}

export async function writeHandshake(hs: HandshakeState, payload: Uint8Array): Promise<Uint8Array> {
  try {
    return await hs.writeMessage(payload);
  } catch (e) {
    throw asHandshakeError(e);
  }
}
