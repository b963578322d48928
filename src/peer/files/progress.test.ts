import { describe, expect, it } from 'vitest';
import { createRateEstimator } from './progress.ts';

describe('rate estimator', () => {
  it('is 0 with unknown time left until two samples span time', () => {
    const r = createRateEstimator(5_000);
    expect(r.estimate(100, 0)).toEqual({ bytesPerSecond: 0, secondsLeft: undefined });
    r.add(0, 0);
    expect(r.estimate(100, 0)).toEqual({ bytesPerSecond: 0, secondsLeft: undefined });
  });

  it('steady progress: exact rate and seconds left', () => {
    const r = createRateEstimator(5_000);
    for (let t = 0; t <= 4_000; t += 1_000) r.add(t * 2, t); // 2000 B/s
    expect(r.estimate(20_000, 4_000)).toEqual({ bytesPerSecond: 2_000, secondsLeft: 6 });
  });

  it('looks only at the window: a speed-up shows within it', () => {
    const r = createRateEstimator(2_000);
    r.add(0, 0);
    r.add(1_000, 10_000); // 100 B/s for 10 s
    r.add(11_000, 11_000);
    r.add(21_000, 12_000); // then 10 000 B/s
    // Baseline is the last sample at or before 12 000 − 2 000: the one at 10 000.
    expect(r.estimate(41_000, 12_000)).toEqual({ bytesPerSecond: 10_000, secondsLeft: 2 });
  });

  it('a stall lowers the rate as time passes', () => {
    const r = createRateEstimator(5_000);
    r.add(0, 0);
    r.add(1_000, 1_000);
    expect(r.estimate(2_000, 1_000).bytesPerSecond).toBe(1_000);
    expect(r.estimate(2_000, 4_000).bytesPerSecond).toBe(250);
    expect(r.estimate(2_000, 60_000)).toEqual({ bytesPerSecond: 0, secondsLeft: undefined });
  });

  it('progress going back (restart from 0) resets the window', () => {
    const r = createRateEstimator(5_000);
    r.add(0, 0);
    r.add(5_000, 1_000);
    r.add(0, 2_000);
    r.add(500, 3_000);
    expect(r.estimate(1_500, 3_000)).toEqual({ bytesPerSecond: 500, secondsLeft: 2 });
  });
});
