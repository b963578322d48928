// The byte pipe a session runs over: reliable, ordered, message-preserving — what an
// RTCDataChannel ("reliable" mode) gives. The session knows only this interface; `rtc.ts` (later)
// adapts a data channel to it, and tests use the in-memory pair below.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { type Clock, systemClock } from './clock.ts';
import { DrainWaiters } from './drain.ts';

export type DuplexState = 'connecting' | 'open' | 'closed';

export interface DuplexHandlers {
  open(): void;
  /** `data` is the consumer's own (a fresh copy of what the other end sent). */
  message(data: Uint8Array): void;
  /** The channel is gone (closed by either side or lost); no more messages follow. */
  close(): void;
}

export interface Duplex {
  readonly state: DuplexState;
  /** Bytes accepted by send() but not yet on the wire (RTCDataChannel.bufferedAmount). */
  readonly bufferedAmount: number;
  /**
   * Throws CONNECTION_LOST unless open. Copies `data` (or is done with it) before returning, as
   * RTCDataChannel.send does: the caller may overwrite the buffer right after, and the session
   * does — large frames are built in one reused buffer. `data` may be a view into a larger
   * buffer; only its bytes are sent.
   */
  send(data: Uint8Array): void;
  /**
   * Resolves once bufferedAmount ≤ `threshold` (at once if it already is); rejects with
   * CONNECTION_LOST when the channel closes first. The drain signal of file transfer
   * (PROTOCOL.md §13): a sender stops above its high-water mark and waits here for the low one.
   * Optional so that other Duplex implementations (test doubles) keep compiling; the session
   * polls bufferedAmount when it is missing.
   */
  whenBufferedBelow?(threshold: number): Promise<void>;
  close(): void;
  /** A duplex has one consumer; returns a function that detaches it. */
  attach(handlers: DuplexHandlers): () => void;
}

export type Side = 'a' | 'b';

export interface DuplexPairOptions {
  clock?: Clock;
  /** One-way delay added to every message. */
  latencyMs?: number;
  /** Link rate per direction; unset = infinite. Messages queue behind each other at this rate. */
  bytesPerSecond?: number;
  /** 'manual' leaves both ends connecting until pair.open(); default 'open'. */
  open?: 'open' | 'manual';
  /** Sees every message on the wire; returns what is delivered instead (drop = [], tamper, …). */
  tap?: (data: Uint8Array, from: Side) => readonly Uint8Array[];
}

export interface DuplexPair {
  readonly a: Duplex;
  readonly b: Duplex;
  open(): void;
  /** Abrupt loss of the link: both ends close at once, queued messages are lost. */
  fail(): void;
}

interface InFlight {
  readonly data: Uint8Array;
  readonly leavesAt: number;
  readonly arrivesAt: number;
}

class MemoryEnd implements Duplex {
  state: DuplexState = 'connecting';
  handlers: DuplexHandlers | undefined;
  readonly outbound: InFlight[] = [];
  lastLeavesAt = 0;
  timer: ReturnType<Clock['setTimeout']> | undefined;
  microtaskArmed = false;
  peer: MemoryEnd | undefined;
  private readonly drain = new DrainWaiters();
  private drainTimer: ReturnType<Clock['setTimeout']> | undefined;

  constructor(
    readonly side: Side,
    private readonly opts: DuplexPairOptions,
    private readonly clock: Clock,
  ) {}

  get bufferedAmount(): number {
    const now = this.clock.now();
    let sum = 0;
    for (const m of this.outbound) if (m.leavesAt > now) sum += m.data.length;
    return sum;
  }

  whenBufferedBelow(threshold: number): Promise<void> {
    if (this.state === 'closed') {
      return Promise.reject(new PeerlineError(ErrorCode.CONNECTION_LOST, 'duplex closed'));
    }
    const p = this.drain.wait(threshold, this.bufferedAmount);
    this.armDrain();
    return p;
  }

  /** When, on the clock, at most `threshold` bytes are still waiting to leave. */
  private drainedAt(threshold: number): number {
    const now = this.clock.now();
    let left = this.bufferedAmount;
    // Messages leave in queue order, so the amount falls step by step at each leavesAt.
    for (const m of this.outbound) {
      if (left <= threshold) break;
      if (m.leavesAt <= now) continue;
      left -= m.data.length;
      if (left <= threshold) return m.leavesAt;
    }
    return now;
  }

  private armDrain(): void {
    if (this.drainTimer !== undefined) this.clock.clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.drain.settle(this.bufferedAmount);
    if (this.drain.size === 0) return;
    const at = Math.min(...this.drain.thresholds().map((t) => this.drainedAt(t)));
    this.drainTimer = this.clock.setTimeout(() => this.armDrain(), at - this.clock.now());
  }

  private rejectDrain(): void {
    if (this.drainTimer !== undefined) this.clock.clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.drain.rejectAll('duplex closed');
  }

  attach(handlers: DuplexHandlers): () => void {
    this.handlers = handlers;
    return () => {
      if (this.handlers === handlers) this.handlers = undefined;
    };
  }

  send(data: Uint8Array): void {
    if (this.state !== 'open')
      throw new PeerlineError(ErrorCode.CONNECTION_LOST, 'duplex not open');
    const now = this.clock.now();
    const rate = this.opts.bytesPerSecond;
    // Copies on the way in (the Duplex.send contract): each delivered message is a fresh buffer
    // the receiver owns, like a data channel's, and the sender may reuse `data` at once.
    for (const piece of this.opts.tap ? this.opts.tap(data.slice(), this.side) : [data]) {
      const start = Math.max(now, this.lastLeavesAt);
      const leavesAt = rate === undefined ? start : start + (piece.length * 1000) / rate;
      this.lastLeavesAt = leavesAt;
      const arrivesAt = leavesAt + (this.opts.latencyMs ?? 0);
      this.outbound.push({ data: piece.slice(), leavesAt, arrivesAt });
    }
    this.schedule();
  }

  close(): void {
    if (this.state === 'closed') return;
    // Like RTCDataChannel.close(): what was already sent still arrives, then the peer sees close.
    this.state = 'closed';
    this.rejectDrain();
    this.handlers?.close();
    this.schedule();
  }

  /** Delivery runs on a microtask when nothing is delayed, else on the clock. */
  schedule(): void {
    const head = this.outbound[0];
    if (head === undefined) {
      if (this.state === 'closed') this.peer?.remoteClosed();
      return;
    }
    if (head.arrivesAt <= this.clock.now()) {
      if (this.microtaskArmed) return;
      this.microtaskArmed = true;
      queueMicrotask(() => {
        this.microtaskArmed = false;
        this.deliverDue();
      });
      return;
    }
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.deliverDue();
    }, head.arrivesAt - this.clock.now());
  }

  deliverDue(): void {
    const now = this.clock.now();
    while (this.outbound[0] !== undefined && this.outbound[0].arrivesAt <= now) {
      const m = this.outbound.shift();
      const peer = this.peer;
      if (m === undefined || peer === undefined || peer.state !== 'open') continue;
      peer.handlers?.message(m.data);
    }
    this.schedule();
  }

  remoteClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.rejectDrain();
    this.handlers?.close();
  }

  opened(): void {
    if (this.state !== 'connecting') return;
    this.state = 'open';
    this.handlers?.open();
  }

  lost(): void {
    this.outbound.length = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.remoteClosed();
  }
}

export function createDuplexPair(opts: DuplexPairOptions = {}): DuplexPair {
  const clock = opts.clock ?? systemClock;
  const a = new MemoryEnd('a', opts, clock);
  const b = new MemoryEnd('b', opts, clock);
  a.peer = b;
  b.peer = a;
  const open = (): void => {
    a.opened();
    b.opened();
  };
  if ((opts.open ?? 'open') === 'open') open();
  return {
    a,
    b,
    open,
    fail() {
      a.lost();
      b.lost();
    },
  };
}
