// Requests in flight on one connection, matched to replies by the client-chosen `ref`
// (docs/signaling.md §Messages). Each is bounded by a timeout and settled exactly once.
import { ErrorCode, type PeerlineError } from '../crypto/errors.ts';
import type { ServerMessage } from './protocol.ts';
import { type Clock, SignalingError } from './transport.ts';

type Reply = Extract<ServerMessage, { type: 'sent' | 'ice_servers' }>;

interface Pending {
  expect: Reply['type'];
  resolve: (r: Reply) => void;
  reject: (e: PeerlineError) => void;
  timer: unknown;
}

export class Requests {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** Registers a request; `send` gets the fresh ref and must put it on the wire. */
  start<T extends Reply['type']>(
    expect: T,
    send: (ref: string) => void,
  ): Promise<Extract<Reply, { type: T }>> {
    const ref = `r${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(ref);
        reject(new SignalingError(ErrorCode.NETWORK_TIMEOUT, `no reply to ${expect} request`));
      }, this.timeoutMs);
      this.pending.set(ref, {
        expect,
        resolve: resolve as (r: Reply) => void,
        reject,
        timer,
      });
      try {
        send(ref);
      } catch {
        this.settle(ref)?.reject(new SignalingError(ErrorCode.CONNECTION_LOST, 'send failed'));
      }
    });
  }

  private settle(ref: string): Pending | undefined {
    const p = this.pending.get(ref);
    if (!p) return undefined;
    this.pending.delete(ref);
    this.clock.clearTimeout(p.timer);
    return p;
  }

  /** A reply arrived; returns false if nothing of that kind was waiting for its ref. */
  reply(msg: Reply): boolean {
    const ref = msg.ref;
    if (ref === undefined || this.pending.get(ref)?.expect !== msg.type) return false;
    this.settle(ref)?.resolve(msg);
    return true;
  }

  fail(ref: string, err: PeerlineError): boolean {
    const p = this.settle(ref);
    p?.reject(err);
    return p !== undefined;
  }

  failAll(err: PeerlineError): void {
    for (const ref of [...this.pending.keys()]) this.fail(ref, err);
  }
}
