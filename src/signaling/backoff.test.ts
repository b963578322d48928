import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Breaker,
  backoffDelay,
  CLOSED,
  DEFAULT_POLICY,
  nextAttemptIn,
  onFailure,
  onSuccess,
  tick,
} from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 30 s without jitter at the midpoint', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('applies ±25 % jitter at the extremes', () => {
    expect(backoffDelay(1, () => 0)).toBe(750);
    expect(backoffDelay(1, () => 0.999_999)).toBe(1250);
    expect(backoffDelay(10, () => 0)).toBe(22_500);
    expect(backoffDelay(10, () => 0.999_999)).toBe(37_500);
  });

  it('always stays within [0.75, 1.25] × the capped exponential', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const base = Math.min(30_000, 1000 * 2 ** Math.min(n - 1, 30));
          const d = backoffDelay(n, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.75));
          expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.25));
        },
      ),
    );
  });
});

describe('circuit breaker', () => {
  it('opens after exactly 10 consecutive failures', () => {
    let b: Breaker = CLOSED;
    for (let i = 1; i < 10; i++) {
      b = onFailure(b, 0);
      expect(b).toEqual({ state: 'closed', failures: i });
    }
    b = onFailure(b, 5_000);
    expect(b).toEqual({ state: 'open', until: 5_000 + DEFAULT_POLICY.openMs, opened: 1 });
  });

  it('waits out the open period, lets one probe through, and closes on success', () => {
    let b: Breaker = { state: 'open', until: 60_000, opened: 1 };
    expect(nextAttemptIn(b, 10_000, () => 0.5)).toBe(50_000);
    expect(tick(b, 59_999)).toBe(b);
    b = tick(b, 60_000);
    expect(b).toEqual({ state: 'half-open', opened: 1 });
    expect(nextAttemptIn(b, 60_000, () => 0.5)).toBe(0);
    expect(onSuccess()).toEqual({ state: 'closed', failures: 0 });
  });

  it('a failed probe reopens for twice as long, capped at 10 minutes', () => {
    let b: Breaker = { state: 'half-open', opened: 1 };
    b = onFailure(b, 100_000);
    expect(b).toEqual({ state: 'open', until: 100_000 + 120_000, opened: 2 });
    b = onFailure({ state: 'half-open', opened: 9 }, 0);
    expect(b).toEqual({ state: 'open', until: 600_000, opened: 10 });
  });

  it('uses backoff delays while closed', () => {
    expect(nextAttemptIn(CLOSED, 0, () => 0.5)).toBe(0);
    expect(nextAttemptIn({ state: 'closed', failures: 3 }, 0, () => 0.5)).toBe(4000);
  });
});
