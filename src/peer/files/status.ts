// The life of one transfer as an explicit state machine (PROTOCOL.md §13): every status change
// is an event through `transition`, which returns undefined where the event does not apply, so
// a late or repeated network message can never move a finished transfer.

import type { PauseState, TransferStatus } from './types.ts';

export type Side = 'local' | 'remote';

export type StatusEvent =
  /** The receiver accepted (its own accept, or the sender hearing file_accept). */
  | { readonly kind: 'accept'; readonly paused: PauseState }
  | { readonly kind: 'decline'; readonly by: Side }
  | { readonly kind: 'cancel'; readonly by: Side; readonly code: number }
  /** Either side's pause flag changed. */
  | { readonly kind: 'pause'; readonly paused: PauseState }
  /** Receiver: the last chunk is in, the digest is being compared. */
  | { readonly kind: 'verify' }
  /** Receiver: digest matched; sender: file_done arrived. */
  | { readonly kind: 'complete' }
  | { readonly kind: 'fail'; readonly code: number; readonly detail: string }
  /** A failed transfer is requested again. */
  | { readonly kind: 'retry'; readonly paused: PauseState }
  /** A reload found a transfer mid-verification: it resumes as running. */
  | { readonly kind: 'interrupted'; readonly paused: PauseState };

export const NOT_PAUSED: PauseState = { local: false, remote: false };

/** `active`, or `paused` with who paused: the running statuses. */
export function runningStatus(p: PauseState): TransferStatus {
  if (p.local && p.remote) return { kind: 'paused', by: 'both' };
  if (p.local) return { kind: 'paused', by: 'local' };
  if (p.remote) return { kind: 'paused', by: 'remote' };
  return { kind: 'active' };
}

export function isRunning(s: TransferStatus): boolean {
  return s.kind === 'active' || s.kind === 'paused';
}

export function isFinal(s: TransferStatus): boolean {
  return s.kind === 'complete' || s.kind === 'declined' || s.kind === 'cancelled';
}

/** The next status, or undefined when `event` is not allowed in `s`. */
export function transition(s: TransferStatus, event: StatusEvent): TransferStatus | undefined {
  switch (event.kind) {
    case 'accept':
      return s.kind === 'offered' ? runningStatus(event.paused) : undefined;
    case 'decline':
      return s.kind === 'offered' ? { kind: 'declined', by: event.by } : undefined;
    case 'cancel':
      return isFinal(s) ? undefined : { kind: 'cancelled', by: event.by, code: event.code };
    case 'pause':
      return isRunning(s) ? runningStatus(event.paused) : undefined;
    case 'verify':
      return isRunning(s) ? { kind: 'verifying' } : undefined;
    case 'complete':
      return s.kind === 'verifying' || isRunning(s) ? { kind: 'complete' } : undefined;
    case 'fail':
      return isRunning(s) || s.kind === 'verifying'
        ? { kind: 'failed', code: event.code, detail: event.detail }
        : undefined;
    case 'retry':
      return s.kind === 'failed' ? runningStatus(event.paused) : undefined;
    case 'interrupted':
      return s.kind === 'verifying' ? runningStatus(event.paused) : undefined;
  }
}
