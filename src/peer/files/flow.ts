// The sender's pump for one session (PROTOCOL.md §13 flow control): one chunk at a time, taken
// round-robin from the transfers that may send, and only while the channel has room. Room
// means: our frames buffered plus those still queued in the session stay ≤ highWaterMark (so
// bufferedAmount never exceeds it by more than one frame); above it we wait for the drain to
// lowWaterMark. At most two sendBinary calls are outstanding, so a chat message queued in the
// session never waits behind more than about two chunks plus what the channel buffers.

import type { Session } from '../session-types.ts';
import { streamIdOf } from './constants.ts';
import type { ChunkJob, OutgoingTransfer } from './sender.ts';
import type { TransferLimits } from './types.ts';

const MAX_OUTSTANDING = 2;

interface Outstanding {
  readonly bytes: number;
  readonly settled: Promise<void>;
}

/** A wake-up that is not lost when it comes before the wait. */
class Signal {
  private pending = false;
  private waiter: (() => void) | undefined;

  notify(): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w();
    else this.pending = true;
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

export class Pump {
  private readonly signal = new Signal();
  private readonly outstanding: Outstanding[] = [];
  private cursor = 0;
  private state: 'running' | 'stopped' = 'running';

  constructor(
    private readonly session: Session,
    private readonly limits: TransferLimits,
    /** The sending transfers, in a stable order. */
    private readonly senders: () => readonly OutgoingTransfer[],
  ) {}

  wake(): void {
    this.signal.notify();
  }

  stop(): void {
    this.state = 'stopped';
    this.signal.notify();
  }

  /** Runs until stop() or the session ends. */
  async run(): Promise<void> {
    try {
      while (this.state === 'running') {
        const picked = this.pick();
        if (picked === undefined) {
          await this.signal.wait();
          continue;
        }
        await this.room();
        if (this.state !== 'running') return;
        await this.sendOne(picked.transfer, picked.job);
      }
    } catch {
      // The session ended (sendBinary / drain rejected): the next attach starts a new pump.
    }
  }

  /** Round-robin: the first sender after the last one served that has a chunk to go. */
  private pick(): { transfer: OutgoingTransfer; job: ChunkJob } | undefined {
    const list = this.senders();
    for (let i = 0; i < list.length; i++) {
      const k = (this.cursor + i) % list.length;
      const transfer = list[k];
      const job = transfer?.nextJob(this.limits.window);
      if (transfer !== undefined && job !== undefined) {
        this.cursor = k + 1;
        return { transfer, job };
      }
    }
    return undefined;
  }

  private async room(): Promise<void> {
    for (;;) {
      const queued = this.outstanding.reduce((sum, o) => sum + o.bytes, 0);
      const head = this.outstanding[0];
      if (head !== undefined && this.outstanding.length >= MAX_OUTSTANDING) {
        await head.settled;
      } else if (this.session.bufferedAmount + queued > this.limits.highWaterMark) {
        if (head !== undefined) await head.settled;
        else await this.session.whenBufferedBelow(this.limits.lowWaterMark);
      } else {
        return;
      }
      if (this.state !== 'running') return;
    }
  }

  private async sendOne(t: OutgoingTransfer, job: ChunkJob): Promise<void> {
    let data: Uint8Array;
    try {
      if (job.length > this.session.maxBinaryChunk) {
        t.readFailed(new RangeError('chunk over the peer frame size'), 3003);
        return;
      }
      data = await t.read(job);
    } catch (cause) {
      t.readFailed(cause);
      return;
    }
    // A new run (file_accept), a pause or a cancel may have come while reading.
    if (this.state !== 'running' || !t.isCurrent(job)) return;
    const sending = this.session.sendBinary(streamIdOf(t.id), job.index, data);
    t.sent(job);
    const entry: Outstanding = {
      bytes: data.length,
      settled: sending.then(
        () => this.done(entry),
        () => {
          this.done(entry);
          this.stop();
        },
      ),
    };
    this.outstanding.push(entry);
  }

  private done(entry: Outstanding): void {
    const i = this.outstanding.indexOf(entry);
    if (i >= 0) this.outstanding.splice(i, 1);
  }
}
