// Token bucket as plain data, so a Durable Object can keep it in storage and survive eviction.
// Capacity `burst`, refilled continuously at `perMinute` tokens per minute.

export interface Bucket {
  tokens: number;
  at: number;
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; retryAfter: number };

export function fullBucket(burst: number, now: number): Bucket {
  return { tokens: burst, at: now };
}

/** Takes one token; on refusal `retryAfter` is whole seconds until one token is back (≥ 1). */
export function take(b: Bucket, burst: number, perMinute: number, now: number): Take {
  const perMs = perMinute / 60_000;
  const elapsed = Math.max(0, now - b.at);
  const tokens = Math.min(burst, b.tokens + elapsed * perMs);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, at: now } };
  const retryAfter = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  return { ok: false, bucket: { tokens, at: now }, retryAfter };
}
