// Liveness and key-age deadlines of a connected session (PROTOCOL.md §4.2, §6) on one timer:
// ping after `heartbeatMs` without sending, NETWORK_TIMEOUT after `inactivityMs` without
// receiving, and (original initiator only) a re-handshake every `rehandshakeMs`. Activity only
// moves deadlines later, so the timer never needs re-arming per frame: when it fires it checks
// what is really due and arms itself for the next deadline.

import type { Clock, TimerHandle } from './clock.ts';
import type { SessionLimits } from './limits.ts';

export interface HeartbeatActions {
  ping(): void;
  timeout(): void;
  /** Undefined for the responder: it never starts a re-handshake. */
  rehandshake: (() => void) | undefined;
}

type Timer =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'armed'; readonly handle: TimerHandle };

export class Heartbeat {
  private lastSent: number;
  private lastReceived: number;
  private lastHandshake: number;
  private timer: Timer = { kind: 'stopped' };

  constructor(
    private readonly clock: Clock,
    private readonly limits: Pick<SessionLimits, 'heartbeatMs' | 'inactivityMs' | 'rehandshakeMs'>,
    private readonly actions: HeartbeatActions,
  ) {
    const now = clock.now();
    this.lastSent = now;
    this.lastReceived = now;
    this.lastHandshake = now;
  }

  sent(): void {
    this.lastSent = this.clock.now();
  }

  received(): void {
    this.lastReceived = this.clock.now();
  }

  handshook(): void {
    this.lastHandshake = this.clock.now();
  }

  start(): void {
    this.arm();
  }

  stop(): void {
    if (this.timer.kind === 'armed') this.clock.clearTimeout(this.timer.handle);
    this.timer = { kind: 'stopped' };
  }

  private deadlines(): { ping: number; timeout: number; rehandshake: number } {
    return {
      ping: this.lastSent + this.limits.heartbeatMs,
      timeout: this.lastReceived + this.limits.inactivityMs,
      rehandshake:
        this.actions.rehandshake === undefined
          ? Number.POSITIVE_INFINITY
          : this.lastHandshake + this.limits.rehandshakeMs,
    };
  }

  private arm(): void {
    const d = this.deadlines();
    const next = Math.min(d.ping, d.timeout, d.rehandshake);
    const handle = this.clock.setTimeout(() => this.fire(), Math.max(0, next - this.clock.now()));
    this.timer = { kind: 'armed', handle };
  }

  private fire(): void {
    if (this.timer.kind === 'stopped') return;
    const now = this.clock.now();
    const d = this.deadlines();
    if (now >= d.timeout) {
      this.timer = { kind: 'stopped' };
      this.actions.timeout();
      return;
    }
    if (now >= d.ping) {
      // Counts as sending now, so a slow ping does not cause a second one at once.
      this.lastSent = now;
      this.actions.ping();
    }
    if (now >= d.rehandshake) {
      this.lastHandshake = now;
      this.actions.rehandshake?.();
    }
    if (this.timer.kind === 'armed') this.arm();
  }
}
