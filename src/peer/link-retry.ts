// When a contact link tries again: the backoff and circuit breaker of src/signaling/backoff.ts
// (1 s · 2^(n−1) up to 30 s, ±25 % jitter; open for 60 s+ after 10 failures in a row), one
// timer at a time.

import {
  type BackoffPolicy,
  type Breaker,
  CLOSED,
  nextAttemptIn,
  onFailure,
  onSuccess,
} from '../signaling/backoff.ts';
import type { Clock, TimerHandle } from './clock.ts';

export interface RetryPlan {
  readonly retryAt: number;
  /** Failed attempts since the last connected session. */
  readonly failures: number;
}

export class LinkRetry {
  private breaker: Breaker = CLOSED;
  private failures = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly policy: BackoffPolicy,
  ) {}

  /** A session connected: everything is forgiven. */
  succeeded(): void {
    this.breaker = onSuccess();
    this.failures = 0;
  }

  /** Starts over, as after the user asked to retry. */
  reset(): void {
    this.cancel();
    this.breaker = CLOSED;
    this.failures = 0;
  }

  /**
   * An attempt failed (a drop after success counts as failure 1, as for signaling): `retry`
   * runs after the backoff delay unless cancelled first.
   */
  failed(retry: () => void): RetryPlan {
    this.cancel();
    const now = this.clock.now();
    this.breaker = onFailure(this.breaker, now, this.policy);
    const delay = nextAttemptIn(this.breaker, now, this.random, this.policy);
    this.failures += 1;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      retry();
    }, delay);
    return { retryAt: now + delay, failures: this.failures };
  }

  cancel(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
