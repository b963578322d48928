// Worker configuration: `[vars]` in wrangler.toml (or `--var` in tests) and two secrets. Every
// limit is a var so tests can shrink TTLs and bounds instead of sleeping for minutes; the
// defaults are the production values documented in PROTOCOL.md §11.4.
import type { IpLimiter } from './ip-limiter.ts';
import type { KeyObject } from './key-object.ts';

export interface Env {
  KEYS: DurableObjectNamespace<KeyObject>;
  IPS: DurableObjectNamespace<IpLimiter>;
  ALLOWED_ORIGINS?: string;
  CHALLENGE_TTL_MS?: string;
  REGISTER_MAX_SKEW_MS?: string;
  MAX_CONNECTIONS_PER_KEY?: string;
  MAX_PENDING_PER_KEY?: string;
  SIGNALS_PER_MINUTE?: string;
  QUEUE_MAX_SIGNALS?: string;
  QUEUE_MAX_BYTES?: string;
  QUEUE_TTL_MS?: string;
  IP_MAX_CONCURRENT?: string;
  IP_CONNECTS_PER_MINUTE?: string;
  IP_CONNECT_BURST?: string;
  TURN_URLS?: string;
  TURN_TTL_SECONDS?: string;
  /** Secret (`wrangler secret put TURN_SECRET`): coturn `static-auth-secret`. */
  TURN_SECRET?: string;
  /** Secret (`wrangler secret put ADMIN_SECRET`): bearer token of /admin/*. */
  ADMIN_SECRET?: string;
}

export interface Config {
  challengeTtlMs: number;
  registerMaxSkewMs: number;
  maxConnectionsPerKey: number;
  maxPendingPerKey: number;
  signalsPerMinute: number;
  queueMaxSignals: number;
  queueMaxBytes: number;
  queueTtlMs: number;
  ipMaxConcurrent: number;
  ipConnectsPerMinute: number;
  ipConnectBurst: number;
  turnUrls: string[];
  turnTtlSeconds: number;
}

/** TURN REST credentials live at most one hour (issue 4); a larger var is clamped. */
export const MAX_TURN_TTL_SECONDS = 3600;

function num(v: string | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

export function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function readConfig(env: Env): Config {
  return {
    challengeTtlMs: num(env.CHALLENGE_TTL_MS, 30_000, 100, 30_000),
    registerMaxSkewMs: num(env.REGISTER_MAX_SKEW_MS, 600_000, 1_000, 3_600_000),
    maxConnectionsPerKey: num(env.MAX_CONNECTIONS_PER_KEY, 5, 1, 100),
    maxPendingPerKey: num(env.MAX_PENDING_PER_KEY, 8, 1, 100),
    signalsPerMinute: num(env.SIGNALS_PER_MINUTE, 100, 1, 1_000_000),
    queueMaxSignals: num(env.QUEUE_MAX_SIGNALS, 50, 0, 128),
    queueMaxBytes: num(env.QUEUE_MAX_BYTES, 256 * 1024, 0, 8 * 1024 * 1024),
    queueTtlMs: num(env.QUEUE_TTL_MS, 600_000, 100, 3_600_000),
    ipMaxConcurrent: num(env.IP_MAX_CONCURRENT, 100, 1, 1_000_000),
    ipConnectsPerMinute: num(env.IP_CONNECTS_PER_MINUTE, 60, 1, 1_000_000),
    ipConnectBurst: num(env.IP_CONNECT_BURST, 30, 1, 1_000_000),
    turnUrls: list(env.TURN_URLS),
    turnTtlSeconds: num(env.TURN_TTL_SECONDS, MAX_TURN_TTL_SECONDS, 60, MAX_TURN_TTL_SECONDS),
  };
}
