// Timing and volume limits of PROTOCOL.md §2, §4 and §6. Configurable so tests can reach them
// quickly; the defaults are the protocol's values.

export interface SessionLimits {
  /** §4.1: rekey the sending key after this many frames… */
  readonly rekeyMessages: number;
  /** …or this many plaintext bytes… */
  readonly rekeyBytes: number;
  /** …or this much time, whichever first. */
  readonly rekeyMs: number;
  /** §4.2: the original initiator re-handshakes this often. */
  readonly rehandshakeMs: number;
  /** §6: send a ping after this long without sending. */
  readonly heartbeatMs: number;
  /** §6: close with NETWORK_TIMEOUT after this long without receiving. */
  readonly inactivityMs: number;
  /** §2: the handshake (from start()) must finish within this. */
  readonly handshakeTimeoutMs: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  rekeyMessages: 1_000,
  rekeyBytes: 1024 ** 3,
  rekeyMs: 60 * 60 * 1000,
  rehandshakeMs: 24 * 60 * 60 * 1000,
  heartbeatMs: 30_000,
  inactivityMs: 90_000,
  handshakeTimeoutMs: 10_000,
};

export function resolveLimits(partial: Partial<SessionLimits> | undefined): SessionLimits {
  const out = { ...DEFAULT_LIMITS, ...partial };
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`limit ${k} must be positive`);
  }
  return out;
}
