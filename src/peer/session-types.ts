// The public shape of a session (PROTOCOL.md §7): options, events and methods. The
// implementation is session.ts; consumers should depend on these types only.

import type { PeerlineError } from '../crypto/errors.ts';
import type { Identity } from '../crypto/identity.ts';
import type { BackendOptions } from '../crypto/noise/index.ts';
import type { BinaryChunk } from './binary.ts';
import type { Capabilities } from './capabilities.ts';
import type { Clock } from './clock.ts';
import type { Duplex } from './duplex.ts';
import type { SessionLimits } from './limits.ts';
import type { AppOutgoingMessage, HelloPayload, Message } from './message-types.ts';
import type { SessionState } from './session-state.ts';
import type { SessionStats } from './stats.ts';

export interface SessionOptions {
  readonly duplex: Duplex;
  /** The WebRTC offerer is the Noise initiator (§2). */
  readonly role: 'initiator' | 'responder';
  readonly identity: Identity;
  /** The contact's Ed25519 key, when we know whom we talk to (§2.2). */
  readonly expectedPeer?: Uint8Array;
  readonly capabilities?: Partial<Capabilities>;
  /** Payload of our automatic first message (§2.4). */
  readonly hello?: HelloPayload;
  readonly clock?: Clock;
  readonly limits?: Partial<SessionLimits>;
  readonly backend?: BackendOptions;
}

export interface SessionEvents {
  state: SessionState;
  message: Message;
  /** `streamId` and `data` are views into the frame's plaintext buffer (prefix and padding
   * around them): use byteOffset/byteLength, or copy, before reading `.buffer` whole. */
  binary: BinaryChunk;
  /** Every error the session detects: message-level ones (1000) and the one that closes it. */
  error: PeerlineError;
}

export interface Session {
  readonly state: SessionState;
  readonly stats: Readonly<SessionStats>;
  /** Handshake hash of the keys in use (changes with each re-handshake); not secret. */
  readonly handshakeHash: Uint8Array | undefined;
  /** Largest `data` one sendBinary() call takes; 0 until connected. */
  readonly maxBinaryChunk: number;
  readonly bufferedAmount: number;
  /** Resolves once bufferedAmount ≤ threshold (at once if so); rejects CONNECTION_LOST when the
   * session or its channel ends first. The sender's drain signal (PROTOCOL.md §13). */
  whenBufferedBelow(threshold: number): Promise<void>;
  on<K extends keyof SessionEvents>(
    event: K,
    listener: (value: SessionEvents[K]) => void,
  ): () => void;
  start(): void;
  /**
   * Queues an application message; resolves with its id once written to the channel. `id`
   * (32 lowercase hex) lets a resend after a lost session keep the id the peer may already have
   * seen, so the peer can drop the duplicate; by default the session makes a fresh one.
   */
  send(message: AppOutgoingMessage, options?: { readonly id?: string }): Promise<string>;
  /** `data` is copied into its frame when the send queue reaches it, not during the call: keep
   * it unchanged until the promise settles. */
  sendBinary(streamId: Uint8Array, index: number, data: Uint8Array): Promise<void>;
  /** Resolves when DISCONNECTED. Default code 2003: what the peer will see (CLOSED_BY_PEER). */
  close(code?: number, reason?: string): Promise<void>;
  /** Rekeys our sending direction on the next frame and asks the peer to rekey its own. */
  requestRekey(): Promise<void>;
  /** Resolves when a re-handshake completed on this side (the responder asks the initiator). */
  rehandshake(): Promise<void>;
}
