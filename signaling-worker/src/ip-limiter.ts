// One Durable Object per client IP (as in Cloudflare's workers-chat-demo): concurrent connection
// count, connection-rate token bucket, and the IP's ban. State lives in storage so an evicted
// object does not forget live connections or forgive a ban.
import { DurableObject } from 'cloudflare:workers';
import { type Config, type Env, readConfig } from './config.ts';
import { type Bucket, fullBucket, take } from './token-bucket.ts';

export interface Ban {
  reason: string;
  /** Unix ms, or null for a ban without end. */
  until: number | null;
}

export type Acquire =
  | { ok: true }
  | { ok: false; kind: 'banned'; reason: string }
  | { ok: false; kind: 'limited'; retry_after: number; reason: string };

interface IpState {
  bucket: Bucket;
  /** Live connections per key: a ban of this IP kicks exactly these keys' sockets. */
  keys: Record<string, number>;
  total: number;
  ban: Ban | null;
}

const STATE_KEY = 'ip';

export function activeBan(ban: Ban | null, now: number): Ban | null {
  return ban && (ban.until === null || ban.until > now) ? ban : null;
}

export class IpLimiter extends DurableObject<Env> {
  private readonly config: Config;
  private st: IpState | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
  }

  private async state(): Promise<IpState> {
    if (!this.st) {
      this.st = (await this.ctx.storage.get<IpState>(STATE_KEY)) ?? {
        bucket: fullBucket(this.config.ipConnectBurst, Date.now()),
        keys: {},
        total: 0,
        ban: null,
      };
    }
    return this.st;
  }

  private save(st: IpState): void {
    void this.ctx.storage.put(STATE_KEY, st);
  }

  async acquire(key: string): Promise<Acquire> {
    const st = await this.state();
    const now = Date.now();
    const ban = activeBan(st.ban, now);
    if (ban) return { ok: false, kind: 'banned', reason: ban.reason };
    // Every attempt costs a token, refused ones included: a client hammering at the concurrency
    // cap is throttled by the rate limit too.
    const t = take(st.bucket, this.config.ipConnectBurst, this.config.ipConnectsPerMinute, now);
    st.bucket = t.bucket;
    if (!t.ok) {
      this.save(st);
      return { ok: false, kind: 'limited', retry_after: t.retryAfter, reason: 'connection rate' };
    }
    if (st.total >= this.config.ipMaxConcurrent) {
      this.save(st);
      return { ok: false, kind: 'limited', retry_after: 60, reason: 'too many connections' };
    }
    st.total += 1;
    st.keys[key] = (st.keys[key] ?? 0) + 1;
    this.save(st);
    return { ok: true };
  }

  async release(key: string): Promise<void> {
    const st = await this.state();
    const n = st.keys[key] ?? 0;
    if (n <= 0) return;
    if (n === 1) delete st.keys[key];
    else st.keys[key] = n - 1;
    st.total = Math.max(0, st.total - 1);
    this.save(st);
  }

  /** Records the ban and returns the keys with live connections from this IP, to be kicked. */
  async ban(reason: string, until: number | null): Promise<string[]> {
    const st = await this.state();
    st.ban = { reason, until };
    this.save(st);
    return Object.keys(st.keys);
  }

  async unban(): Promise<void> {
    const st = await this.state();
    st.ban = null;
    this.save(st);
  }

  async status(): Promise<{ ban: Ban | null; connections: number }> {
    const st = await this.state();
    return { ban: activeBan(st.ban, Date.now()), connections: st.total };
  }
}
