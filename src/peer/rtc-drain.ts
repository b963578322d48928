// The drain signal of a WebRTC data channel (Duplex.whenBufferedBelow, PROTOCOL.md §13): the
// RTCDataChannel `bufferedamountlow` event where the channel offers it, else a 5 ms poll.

import type { Clock, TimerHandle } from './clock.ts';
import { DrainWaiters } from './drain.ts';

/** Polling period where the channel has no `bufferedamountlow` event. */
export const DRAIN_POLL_MS = 5;

/** The part of RTCDataChannel behind the drain signal (simple-peer keeps it in `_channel`). */
interface DrainChannel {
  bufferedAmountLowThreshold: number;
  addEventListener(type: 'bufferedamountlow', listener: () => void): void;
  removeEventListener(type: 'bufferedamountlow', listener: () => void): void;
}

function drainChannel(peer: object): DrainChannel | undefined {
  // simple-peer exposes no drain event of its own; its private `_channel` is the RTCDataChannel.
  const ch: unknown = (peer as { _channel?: unknown })._channel;
  if (typeof ch !== 'object' || ch === null) return undefined;
  const c = ch as Partial<Record<keyof DrainChannel, unknown>>;
  return typeof c.bufferedAmountLowThreshold === 'number' &&
    typeof c.addEventListener === 'function' &&
    typeof c.removeEventListener === 'function'
    ? (ch as DrainChannel)
    : undefined;
}

export class ChannelDrain {
  private readonly waiters = new DrainWaiters();
  private timer: TimerHandle | undefined;
  private listening: DrainChannel | undefined;
  private readonly onLow = (): void => this.check();

  constructor(
    /** The simple-peer instance (or a test fake). */
    private readonly peer: object,
    private readonly clock: Clock,
    private readonly amount: () => number,
  ) {}

  wait(threshold: number): Promise<void> {
    const p = this.waiters.wait(threshold, this.amount());
    this.check();
    return p;
  }

  /** Rejects every waiter with CONNECTION_LOST. */
  close(): void {
    this.stop();
    this.listening?.removeEventListener('bufferedamountlow', this.onLow);
    this.listening = undefined;
    this.waiters.rejectAll('data channel closed');
  }

  /** Resolves satisfied waiters, then waits for the next drain event (or poll) for the rest. */
  private check(): void {
    this.stop();
    this.waiters.settle(this.amount());
    if (this.waiters.size === 0) return;
    const ch = drainChannel(this.peer);
    if (ch === undefined) {
      this.timer = this.clock.setTimeout(() => this.check(), DRAIN_POLL_MS);
      return;
    }
    // The event fires when bufferedAmount falls to the threshold: aim at the highest waiter.
    ch.bufferedAmountLowThreshold = Math.max(...this.waiters.thresholds());
    if (this.listening !== ch) {
      ch.addEventListener('bufferedamountlow', this.onLow);
      this.listening = ch;
    }
  }

  private stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
