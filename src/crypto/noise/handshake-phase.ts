// The handshake's explicit state machine (Noise rev34 §5.3: messages alternate by the pattern's
// arrows; a failed handshake is deleted, here: unusable) and the errors it raises.

import { ErrorCode, PeerlineError } from '../errors.ts';
import { MAX_MESSAGE_LEN } from './cipher-state.ts';
import type { HandshakePattern } from './pattern.ts';
import type { TransportState } from './transport.ts';

/** What the handshake expects next. `busy` while a write or read is being processed. */
export type HandshakeStatus = 'write' | 'read' | 'busy' | 'finished' | 'failed';

export type Phase =
  | { readonly kind: 'ready'; readonly index: number }
  | { readonly kind: 'busy' }
  | { readonly kind: 'finished'; readonly transport: TransportState }
  | { readonly kind: 'transferred' }
  | { readonly kind: 'failed' };

export function isOurMessage(p: HandshakePattern, initiator: boolean, index: number): boolean {
  const m = p.messages[index];
  return m !== undefined && (m.direction === '->') === initiator;
}

/**
 * Returns the index of the message `action` may process now, or throws: HANDSHAKE_FAILED after
 * a failure, UNEXPECTED_MESSAGE out of turn, while busy, or after the end.
 */
export function beginTurn(
  ph: Phase,
  p: HandshakePattern,
  initiator: boolean,
  action: 'write' | 'read',
): number {
  if (ph.kind === 'failed') throw failedError();
  if (ph.kind !== 'ready') {
    const why =
      ph.kind === 'busy' ? 'another handshake call is in progress' : 'handshake already finished';
    throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, why);
  }
  if (isOurMessage(p, initiator, ph.index) !== (action === 'write')) {
    const why = action === 'write' ? "it is the peer's turn to send" : 'it is our turn to send';
    throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, why);
  }
  return ph.index;
}

export function tooLarge(): PeerlineError {
  return new PeerlineError(
    ErrorCode.FRAME_TOO_LARGE,
    `handshake message over ${MAX_MESSAGE_LEN} bytes`,
  );
}

export function failedError(): PeerlineError {
  return new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'handshake already failed');
}
