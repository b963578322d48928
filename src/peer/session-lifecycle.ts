// The lifecycle half of a session (PROTOCOL.md §7): state transitions, events, and the one way
// out — fail / close → CLOSING → DISCONNECTED, with keys wiped and the channel closed.
// session.ts adds the handshake and the public API on top.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { type Clock, systemClock, type TimerHandle } from './clock.ts';
import type { Connection } from './connection.ts';
import { Emitter } from './emitter.ts';
import type { InitialHandshake } from './handshake.ts';
import { SerialQueue } from './serial-queue.ts';
import { type DisconnectReason, type SessionState, transition } from './session-state.ts';
import type { SessionEvents, SessionOptions } from './session-types.ts';
import { emptyStats, type SessionStats } from './stats.ts';
import { Waiters } from './waiters.ts';

export type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'handshake'; readonly handshake: InitialHandshake | undefined }
  | { readonly kind: 'connected'; readonly conn: Connection }
  | { readonly kind: 'ended' };

export abstract class SessionLifecycle {
  protected current: SessionState = { name: 'disconnected' };
  protected phase: Phase = { kind: 'idle' };
  protected readonly events = new Emitter<SessionEvents>();
  protected readonly out = new SerialQueue();
  protected readonly inbound = new SerialQueue();
  protected readonly counters = emptyStats();
  protected readonly clock: Clock;
  protected hash: Uint8Array | undefined;
  protected handshakeTimer: TimerHandle | undefined;
  protected detach: (() => void) | undefined;
  protected readonly waiters = new Waiters();
  protected resolveClosed: () => void = () => undefined;
  protected readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(protected readonly opts: SessionOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get state(): SessionState {
    return this.current;
  }

  get stats(): Readonly<SessionStats> {
    return { ...this.counters };
  }

  get handshakeHash(): Uint8Array | undefined {
    return this.hash?.slice();
  }

  on<K extends keyof SessionEvents>(
    event: K,
    listener: (value: SessionEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  protected setState(next: SessionState): void {
    this.current = transition(this.current, next);
    this.events.emit('state', next);
  }

  /** A closing error. `notify`: tell the peer with `close` first (if our send side works). */
  protected fail(e: PeerlineError, notify: 'notify' | 'silent'): void {
    const name = this.current.name;
    if (name !== 'connecting' && name !== 'authenticating' && name !== 'connected') return;
    this.events.emit('error', e);
    const reason: DisconnectReason = { code: e.code, detail: e.detail, by: 'local' };
    if (this.current.name === 'connected') this.beginClosing(reason, notify);
    else this.end(reason);
  }

  protected beginClosing(reason: DisconnectReason, notify: 'notify' | 'silent'): void {
    this.setState({ name: 'closing', reason });
    this.rejectWaiters(reason);
    const finish = (): void => this.end(reason);
    if (notify === 'notify' && this.phase.kind === 'connected') {
      this.phase.conn
        .sendMessage({ type: 'close', payload: { code: reason.code, reason: reason.detail } })
        .then(finish, finish);
    } else {
      finish();
    }
  }

  protected onDuplexClosed(): void {
    if (this.current.name === 'closing') {
      this.end(this.current.reason);
      return;
    }
    if (this.current.name === 'disconnected') return;
    const e = new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel closed');
    this.events.emit('error', e);
    this.end({ code: e.code, detail: e.detail, by: 'remote' });
  }

  /** Final: wipes keys, stops timers, closes the channel, enters DISCONNECTED with `reason`. */
  protected end(reason: DisconnectReason): void {
    if (this.phase.kind === 'ended') return;
    if (this.handshakeTimer !== undefined) this.clock.clearTimeout(this.handshakeTimer);
    if (this.phase.kind === 'connected') this.phase.conn.end();
    this.phase = { kind: 'ended' };
    this.rejectWaiters(reason);
    this.detach?.();
    if (this.opts.duplex.state !== 'closed') this.opts.duplex.close();
    this.setState({ name: 'disconnected', reason });
    this.resolveClosed();
  }

  protected rejectWaiters(reason: DisconnectReason): void {
    this.waiters.rejectAll(
      new PeerlineError(ErrorCode.CONNECTION_LOST, `session closed (${reason.code})`),
    );
  }
}
