// Shapes shared by contact-link.ts (one contact) and link-manager.ts (all of them).

import type { Identity } from '../crypto/identity.ts';
import type { BackoffPolicy } from '../signaling/backoff.ts';
import type { ChatChannel } from './chat-channel.ts';
import type { Clock } from './clock.ts';
import type { SessionLimits } from './limits.ts';
import type { LinkSignal } from './link-signal.ts';
import type { HelloPayload } from './message-types.ts';
import type { Route, SignalingDuplex } from './rtc.ts';
import type { Session, SessionOptions } from './session-types.ts';

/**
 * Where one contact's connection stands (what the chat header shows):
 * - idle: nothing under way (not started, or no signaling server to reach the peer through);
 * - offline: the peer is not on the signaling server; we wait for them to come back and call;
 * - connecting: an attempt runs (knock sent, or offer/answer and ICE under way, or handshake);
 * - connected: a session is up, directly or through a TURN relay (`route`, once known);
 * - retrying: an attempt failed; the next one starts at `retryAt` (backoff of src/signaling);
 * - insecure: the peer's key was not the contact's (IDENTITY_MISMATCH, 1011). Nothing is sent and
 *   nothing is tried until the user asks again: retrying by itself would only repeat the attack;
 * - blocked: the user blocked the contact; their signals are ignored.
 */
export type LinkState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'connecting'; readonly conn: string }
  | { readonly kind: 'connected'; readonly conn: string; readonly route: Route | undefined }
  | {
      readonly kind: 'retrying';
      readonly retryAt: number;
      readonly failures: number;
      readonly code: number;
    }
  | { readonly kind: 'insecure'; readonly code: number; readonly detail: string }
  | { readonly kind: 'blocked' };

export type SendOutcome = 'delivered' | 'queued';

/** What a contact link needs from the world; the app wires real signaling and WebRTC in. */
export interface LinkEnv {
  readonly identity: Identity;
  readonly clock: Clock;
  readonly random: () => number;
  readonly policy: BackoffPolicy;
  /** Bound on one attempt, from knock or offer to a connected session. */
  readonly attemptTimeoutMs: number;
  /** Seals and routes a signal; rejects when the signaling server cannot be reached. */
  sendSignal(to: string, signal: LinkSignal): Promise<SendOutcome>;
  /** A new, unconnected data channel (rtc.ts in the app, an in-memory pair in tests). */
  openTransport(initiator: boolean): Promise<SignalingDuplex>;
  hello(): HelloPayload;
  readonly sessionLimits?: Partial<SessionLimits>;
  readonly createSession?: (opts: SessionOptions) => Session;
}

export interface LinkEvents {
  state: LinkState;
  /** The live chat channel while a session is connected, undefined when it ends. */
  channel: ChatChannel | undefined;
}
