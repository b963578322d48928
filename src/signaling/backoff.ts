// Reconnect policy (seed 001 "Reconnection Logic"): exponential backoff 1 s → 30 s with ±25 %
// jitter, and a circuit breaker that opens after 10 consecutive failures and lets one probe
// through after a cool-down. Pure functions over plain data; clock and randomness are injected.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay added or removed at random (0.25 = ±25 %). */
  jitter: number;
  /** Consecutive failures that open the breaker. */
  failuresToOpen: number;
  /** First open period; doubles on each failed probe up to maxOpenMs. */
  openMs: number;
  maxOpenMs: number;
}

export const DEFAULT_POLICY: BackoffPolicy = {
  baseMs: 1_000,
  maxMs: 30_000,
  jitter: 0.25,
  failuresToOpen: 10,
  openMs: 60_000,
  maxOpenMs: 10 * 60_000,
};

/**
 * Delay before retry number `failures` (1 = first retry): base·2^(failures−1) capped at max,
 * then scaled by a factor uniform in [1 − jitter, 1 + jitter). `random` returns [0, 1).
 */
export function backoffDelay(
  failures: number,
  random: () => number,
  p: BackoffPolicy = DEFAULT_POLICY,
): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(exp * (1 - p.jitter + 2 * p.jitter * random()));
}

export type Breaker =
  | { state: 'closed'; failures: number }
  | { state: 'open'; until: number; opened: number }
  | { state: 'half-open'; opened: number };

export const CLOSED: Breaker = { state: 'closed', failures: 0 };

export function openPeriod(opened: number, p: BackoffPolicy = DEFAULT_POLICY): number {
  return Math.min(p.maxOpenMs, p.openMs * 2 ** Math.min(Math.max(0, opened - 1), 30));
}

/** A connection attempt failed (never reached `ready`). */
export function onFailure(b: Breaker, now: number, p: BackoffPolicy = DEFAULT_POLICY): Breaker {
  switch (b.state) {
    case 'closed': {
      const failures = b.failures + 1;
      if (failures < p.failuresToOpen) return { state: 'closed', failures };
      return { state: 'open', until: now + openPeriod(1, p), opened: 1 };
    }
    case 'half-open':
      return { state: 'open', until: now + openPeriod(b.opened + 1, p), opened: b.opened + 1 };
    case 'open':
      return b;
  }
}

/** A connection reached `ready`: everything is forgiven. */
export function onSuccess(): Breaker {
  return CLOSED;
}

/** Moves an open breaker whose cool-down is over to half-open (one probe allowed). */
export function tick(b: Breaker, now: number): Breaker {
  return b.state === 'open' && now >= b.until ? { state: 'half-open', opened: b.opened } : b;
}

/** How long to wait before the next attempt, given the breaker after the last failure. */
export function nextAttemptIn(
  b: Breaker,
  now: number,
  random: () => number,
  p: BackoffPolicy = DEFAULT_POLICY,
): number {
  switch (b.state) {
    case 'closed':
      return b.failures === 0 ? 0 : backoffDelay(b.failures, random, p);
    case 'open':
      return Math.max(0, b.until - now);
    case 'half-open':
      return 0;
  }
}
