// The result of a finished handshake (snow-style typestate): only this object offers transport
// encryption, with the two CipherStates already assigned to directions by role.

import type { CipherState } from './cipher-state.ts';
import type { NoiseProtocol } from './protocol.ts';

export interface TransportState {
  readonly protocol: NoiseProtocol;
  readonly initiator: boolean;
  /**
   * Encrypts our messages. In a one-way pattern (§7.4) the responder's `send` is disabled: every
   * call rejects with UNEXPECTED_MESSAGE. Likewise the initiator's `recv`.
   */
  readonly send: CipherState;
  readonly recv: CipherState;
  /** §5.2 GetHandshakeHash() at the end of the handshake: a channel binding value. */
  readonly handshakeHash: Uint8Array;
  readonly remoteStatic: Uint8Array | undefined;
}

/** §5.2 Split() hands out c1 for initiator → responder and c2 for the other direction. */
export function assignDirections(
  protocol: NoiseProtocol,
  initiator: boolean,
  c1: CipherState,
  c2: CipherState,
  disabled: () => CipherState,
): { send: CipherState; recv: CipherState } {
  if (protocol.pattern.oneWay) {
    // §7.4: one-way patterns use c1 only; c2 is discarded.
    c2.wipe();
    return initiator ? { send: c1, recv: disabled() } : { send: disabled(), recv: c1 };
  }
  return initiator ? { send: c1, recv: c2 } : { send: c2, recv: c1 };
}
