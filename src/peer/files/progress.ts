// Transfer rate and time left for progress bars: bytes/s over a sliding window of progress
// samples. Pure (the caller passes the time), so the UI and tests drive it with any clock.

export interface RateEstimate {
  /** Bytes per second over the window; 0 until two samples span some time. */
  readonly bytesPerSecond: number;
  /** Seconds until `size` at that rate; undefined while the rate is 0. */
  readonly secondsLeft: number | undefined;
}

export interface RateEstimator {
  /** Progress `bytes` (total so far) seen at time `at` (ms). A drop (restart) resets. */
  add(bytes: number, at: number): void;
  /** The estimate at time `now` (≥ the last sample): a stall lowers the rate as time passes. */
  estimate(size: number, now: number): RateEstimate;
}

interface Sample {
  readonly at: number;
  readonly bytes: number;
}

export const DEFAULT_RATE_WINDOW_MS = 5_000;

export function createRateEstimator(windowMs = DEFAULT_RATE_WINDOW_MS): RateEstimator {
  let samples: Sample[] = [];

  const trim = (now: number): void => {
    // Keep one sample at or before the window's start as the baseline.
    while (samples.length > 1 && (samples[1]?.at ?? now) <= now - windowMs) samples.shift();
  };

  return {
    add(bytes, at) {
      const last = samples[samples.length - 1];
      if (last !== undefined && (bytes < last.bytes || at < last.at)) samples = [];
      samples.push({ at, bytes });
      trim(at);
    },
    estimate(size, now) {
      trim(now);
      const first = samples[0];
      const last = samples[samples.length - 1];
      if (first === undefined || last === undefined)
        return { bytesPerSecond: 0, secondsLeft: undefined };
      const span = Math.max(now, last.at) - first.at;
      const rate = span > 0 ? ((last.bytes - first.bytes) * 1000) / span : 0;
      if (rate <= 0) return { bytesPerSecond: 0, secondsLeft: undefined };
      return { bytesPerSecond: rate, secondsLeft: Math.max(0, size - last.bytes) / rate };
    },
  };
}
