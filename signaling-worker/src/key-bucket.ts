// A key's signal rate limit (PROTOCOL.md §11.4): enforced exactly on the bucket in memory, and
// written to storage rarely. Nothing is written until a key has spent a tenth of its budget
// (ordinary clients never write; evicted before that, a key at most gets that tenth back). From
// then on storage holds a floor: never more tokens than the live bucket has, so an object evicted
// and woken again resumes at most as generous as it was. Keeping the floor a reserve (a tenth of
// the budget) below the live level costs a heavy sender one write per reserve, not per signal.
import { type Bucket, type Take, take } from './token-bucket.ts';

/** Tokens a bucket holds at `now` (refilled and capped), without taking one. */
export function level(b: Bucket, burst: number, perMinute: number, now: number): number {
  return Math.min(burst, b.tokens + Math.max(0, now - b.at) * (perMinute / 60_000));
}

export class KeyBucket {
  private live: Bucket;
  private floor: Bucket | null;
  /** Tokens a key may spend before anything is written at all (ordinary clients never write). */
  private readonly untracked: number;
  private readonly reserve: number;

  constructor(
    private readonly perMinute: number,
    stored: Bucket | null,
    now: number,
  ) {
    this.live = stored ?? { tokens: perMinute, at: now };
    this.floor = stored;
    this.untracked = perMinute * 0.1;
    this.reserve = Math.max(1, perMinute * 0.1);
  }

  /** Takes one token; `persist` is the new floor to write when the stored one would be too high. */
  take(now: number): { take: Take; persist: Bucket | null } {
    const per = this.perMinute;
    const t = take(this.live, per, per, now);
    this.live = t.bucket;
    const tokens = t.bucket.tokens;
    if (!t.ok) return { take: t, persist: null };
    if (this.floor) {
      // Both refill at the same rate up to the same cap, so a floor at or below the live level
      // stays there until the next take; only a take can bring the live level under it.
      if (level(this.floor, per, per, now) <= tokens) return { take: t, persist: null };
    } else if (tokens >= per - this.untracked) {
      return { take: t, persist: null };
    }
    this.floor = { tokens: Math.max(0, tokens - this.reserve), at: now };
    return { take: t, persist: this.floor };
  }
}
