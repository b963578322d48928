// Promises that callers await until something happens later (a re-handshake completes) or the
// session ends (they all reject).

import type { PeerlineError } from '../crypto/errors.ts';

interface Waiter {
  resolve(): void;
  reject(e: PeerlineError): void;
}

export class Waiters {
  private list: Waiter[] = [];

  wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.list.push({ resolve, reject }));
  }

  resolveAll(): void {
    for (const w of this.list.splice(0)) w.resolve();
  }

  rejectAll(e: PeerlineError): void {
    for (const w of this.list.splice(0)) w.reject(e);
  }
}
