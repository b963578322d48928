import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyBucket, level } from './key-bucket.ts';
import { type Bucket, take } from './token-bucket.ts';

const PER = 100;

describe('KeyBucket', () => {
  it('decides exactly like a plain token bucket, and its stored floor never exceeds the live level', () => {
    // Mostly bursts (a token comes back every 600 ms), so the bucket drains, refills and drains.
    const gap = fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.nat(100) },
      { weight: 1, arbitrary: fc.nat(3_000) },
    );
    fc.assert(
      fc.property(fc.array(gap, { minLength: 120, maxLength: 400, size: 'max' }), (gaps) => {
        let now = 1_000_000;
        const kb = new KeyBucket(PER, null, now);
        let plain: Bucket = { tokens: PER, at: now };
        let floor: Bucket | null = null;
        for (const gap of gaps) {
          now += gap;
          const { take: t, persist } = kb.take(now);
          const ref = take(plain, PER, PER, now);
          plain = ref.bucket;
          expect(t).toEqual(ref);
          if (persist) floor = persist;
          // Up to float rounding: the two levels are the same refill summed in different steps.
          if (floor) expect(level(floor, PER, PER, now)).toBeLessThanOrEqual(plain.tokens + 1e-9);
        }
      }),
    );
  });

  it('writes nothing while a key has spent under a tenth of its budget', () => {
    const kb = new KeyBucket(PER, null, 0);
    for (let i = 0; i < 10; i++) expect(kb.take(0).persist).toBeNull();
    // The 11th signal leaves 89 tokens: the first floor, a tenth lower.
    expect(kb.take(0).persist).toEqual({ tokens: 79, at: 0 });
  });

  it('a heavy sender costs one write per tenth of the budget, not one per signal', () => {
    const kb = new KeyBucket(PER, null, 0);
    let writes = 0;
    for (let i = 0; i < PER; i++) if (kb.take(0).persist) writes++;
    // Floors at 79, 69, …, 0 (tokens 89, 79, …, 9): nine writes, then the bucket is empty.
    expect(writes).toBe(9);
    expect(kb.take(0).take).toMatchObject({ ok: false, retryAfter: 1 });
  });

  it('resumes from a stored floor, never above it', () => {
    const kb = new KeyBucket(PER, { tokens: 0.5, at: 0 }, 0);
    expect(kb.take(0).take.ok).toBe(false);
    // Refill is 100 a minute (a token per 600 ms): the missing half token takes 300 ms.
    expect(kb.take(299).take.ok).toBe(false);
    expect(kb.take(300).take.ok).toBe(true);
    expect(kb.take(300).take.ok).toBe(false);
  });
});
