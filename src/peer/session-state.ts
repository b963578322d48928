// Session states and their legal transitions (PROTOCOL.md §7). The table is the only place that
// decides what may follow what; the session calls transition() and never assigns state itself.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

export interface DisconnectReason {
  /** A PROTOCOL.md §8 code; a remote `close` may carry any integer the peer chose. */
  readonly code: number;
  readonly detail: string;
  readonly by: 'local' | 'remote';
}

export interface PeerInfo {
  /** The peer's Ed25519 key, bound to the Noise static key (§2.2). */
  readonly edPublicKey: Uint8Array;
  readonly version: number;
  /** Features both sides announced. */
  readonly features: readonly string[];
  /** Largest frame the peer accepts; we never send bigger. */
  readonly maxFrame: number;
}

export type SessionState =
  | { readonly name: 'disconnected'; readonly reason?: DisconnectReason }
  | { readonly name: 'connecting' }
  | { readonly name: 'authenticating' }
  | { readonly name: 'connected'; readonly peer: PeerInfo }
  | { readonly name: 'closing'; readonly reason: DisconnectReason };

export type StateName = SessionState['name'];

export const LEGAL_TRANSITIONS: Readonly<Record<StateName, readonly StateName[]>> = {
  disconnected: ['connecting'],
  connecting: ['authenticating', 'disconnected'],
  authenticating: ['connected', 'disconnected'],
  connected: ['closing', 'disconnected'],
  closing: ['disconnected'],
};

export function isLegalTransition(from: SessionState, to: StateName): boolean {
  // A session is single-use: the final DISCONNECTED (it has a reason) leads nowhere.
  if (from.name === 'disconnected' && from.reason !== undefined) return false;
  return LEGAL_TRANSITIONS[from.name].includes(to);
}

export function transition(from: SessionState, to: SessionState): SessionState {
  if (!isLegalTransition(from, to.name)) {
    throw new PeerlineError(
      ErrorCode.UNEXPECTED_MESSAGE,
      `illegal session transition ${from.name} -> ${to.name}`,
    );
  }
  return to;
}

export function isFinal(state: SessionState): boolean {
  return state.name === 'disconnected' && state.reason !== undefined;
}

const MAX_REASON_CHARS = 256;

/** The reason of a local close(); `reason` is cut to what a `close` message may carry (§5). */
export function localCloseReason(code: number, reason: string): DisconnectReason {
  return { code, detail: [...reason].slice(0, MAX_REASON_CHARS).join(''), by: 'local' };
}
