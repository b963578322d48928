// Promises waiting for a channel's bufferedAmount to fall to a threshold: the drain signal of
// Duplex.whenBufferedBelow (PROTOCOL.md §13 flow control). The channel says when to look again
// (its clock, an event, a poll); this only keeps the waiters.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

interface DrainWaiter {
  readonly threshold: number;
  resolve(): void;
  reject(e: PeerlineError): void;
}

export class DrainWaiters {
  private list: DrainWaiter[] = [];

  get size(): number {
    return this.list.length;
  }

  /** Thresholds still waited for. */
  thresholds(): number[] {
    return this.list.map((w) => w.threshold);
  }

  /** Resolves at once when `amount` is already low enough. */
  wait(threshold: number, amount: number): Promise<void> {
    if (amount <= threshold) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.list.push({ threshold, resolve, reject }));
  }

  /** Resolves every waiter whose threshold `amount` has reached. */
  settle(amount: number): void {
    const due = this.list.filter((w) => amount <= w.threshold);
    if (due.length === 0) return;
    this.list = this.list.filter((w) => amount > w.threshold);
    for (const w of due) w.resolve();
  }

  rejectAll(detail: string): void {
    const e = new PeerlineError(ErrorCode.CONNECTION_LOST, detail);
    for (const w of this.list.splice(0)) w.reject(e);
  }
}
