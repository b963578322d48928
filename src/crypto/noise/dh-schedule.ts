// Runs the DH operations of a handshake (Noise rev34 §5.3 tokens ee, es, se, ss). Only the
// order of MixKey() calls is fixed by the spec, not when each DH is computed, so every DH of the
// rest of the handshake whose two keys are known is started at once, even one belonging to a
// later message: WebCrypto computes them off the main thread while the messages travel. Keys
// never change once set (§7.3: each is sent at most once), so an early result stays valid.

import { ErrorCode, PeerlineError } from '../errors.ts';
import type { DhFunctions, LocalKeyPair } from './dh.ts';
import type { Token } from './pattern.ts';

export type DhToken = 'ee' | 'es' | 'se' | 'ss';

export interface HandshakeKeys {
  readonly s: LocalKeyPair | undefined;
  /** Our ephemeral, possibly still being generated. */
  readonly e: LocalKeyPair | Promise<LocalKeyPair> | undefined;
  readonly rs: Uint8Array | undefined;
  readonly re: Uint8Array | undefined;
}

export function isDhToken(t: Token): t is DhToken {
  return t === 'ee' || t === 'es' || t === 'se' || t === 'ss';
}

export class DhSchedule {
  // Each DH token occurs at most once per handshake (§7.3), so the token names the result.
  private readonly started = new Map<DhToken, Promise<Uint8Array>>();

  constructor(
    private readonly dh: DhFunctions,
    private readonly initiator: boolean,
    private readonly keys: () => HandshakeKeys,
  ) {}

  /** Starts every DH token in `tokens` whose keys are known (or being generated) now. */
  prefetch(tokens: readonly Token[]): void {
    for (const t of tokens) {
      if (!isDhToken(t) || this.started.has(t)) continue;
      const p = this.start(t);
      if (p === undefined) continue;
      // Awaited later by result(); this only keeps an early failure from being "unhandled".
      p.catch(() => undefined);
      this.started.set(t, p);
    }
  }

  /** The DH output for `t`; rejects with INVALID_KEY if a key is missing or bad. */
  result(t: DhToken): Promise<Uint8Array> {
    const p = this.started.get(t) ?? this.start(t);
    if (p === undefined) {
      return Promise.reject(new PeerlineError(ErrorCode.INVALID_KEY, `a key for ${t} is missing`));
    }
    return p;
  }

  private start(t: DhToken): Promise<Uint8Array> | undefined {
    const pair = this.operands(t);
    if (pair === undefined) return undefined;
    const { local, remote } = pair;
    return local instanceof Promise
      ? local.then((l) => this.dh.dh(l, remote))
      : this.dh.dh(local, remote);
  }

  /** First letter: the initiator's key, second: the responder's (§7.1). */
  private operands(
    t: DhToken,
  ): { local: LocalKeyPair | Promise<LocalKeyPair>; remote: Uint8Array } | undefined {
    const k = this.keys();
    const [localKey, remoteKey] = this.initiator ? [t[0], t[1]] : [t[1], t[0]];
    const local = localKey === 'e' ? k.e : k.s;
    const remote = remoteKey === 'e' ? k.re : k.rs;
    return local === undefined || remote === undefined ? undefined : { local, remote };
  }
}
