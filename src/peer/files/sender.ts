// The sending side of one transfer (PROTOCOL.md §13): offers, answers each file_accept with a
// new run (file_start, then chunks from `from`), follows acks, pauses and the final answer.
// The chunks themselves go out through the pump (flow.ts), which asks this object what is next.

import { ErrorCode } from '../../crypto/errors.ts';
import { bytesOf, chunkRange } from './constants.ts';
import { isRunning } from './status.ts';
import { Transfer } from './transfer.ts';
import type { FileSource } from './types.ts';
import { offerPayload } from './wire.ts';

/** One run: the chunks answering one file_accept. `next` is the next index to send. */
export interface SendRun {
  readonly from: number;
  next: number;
}

type RunState = { readonly kind: 'idle' } | { readonly kind: 'streaming'; readonly run: SendRun };

export interface ChunkJob {
  readonly run: SendRun;
  readonly index: number;
  readonly offset: number;
  readonly length: number;
}

const IDLE: RunState = { kind: 'idle' };

export class OutgoingTransfer extends Transfer {
  private state: RunState = IDLE;
  private source: FileSource | undefined;

  /** Sends the offer (again) under its first envelope id, unless we paused it. */
  async attached(): Promise<void> {
    const s = this.record.status;
    if (this.paused.local || !(s.kind === 'offered' || isRunning(s))) return;
    this.send({ type: 'file_offer', payload: offerPayload(this.meta) }, this.record.messageId);
  }

  async detached(): Promise<void> {
    this.state = IDLE;
  }

  protected async release(): Promise<void> {
    this.state = IDLE;
    this.source = undefined;
  }

  offerNow(): void {
    if (this.record.status.kind === 'offered') void this.attached();
  }

  /** file_accept: a new run from `from` (a file_accept also means the receiver is not paused). */
  async onAccept(from: number): Promise<void> {
    const s = this.record.status;
    if (s.kind === 'cancelled' && s.by === 'local') {
      this.send({ type: 'file_cancel', payload: { id: this.id, code: s.code } });
      return;
    }
    if (from > this.n || !(s.kind === 'offered' || isRunning(s))) return;
    const paused = { ...this.paused, remote: false };
    const patch = { verified: from, paused };
    await this.move(
      s.kind === 'offered' ? { kind: 'accept', paused } : { kind: 'pause', paused },
      patch,
    );
    this.send({ type: 'file_start', payload: { id: this.id, from } });
    this.state = { kind: 'streaming', run: { from, next: from } };
    this.progress();
    this.ctx.wake();
  }

  async onAck(next: number): Promise<void> {
    // An ack beyond the chunks this run has sent is a lie: it would show progress that did not
    // happen and open the window without bound.
    const run = this.state.kind === 'streaming' ? this.state.run : undefined;
    if (run === undefined || !isRunning(this.record.status)) return;
    if (next > run.next || next <= this.record.verified) return;
    await this.commit({ verified: next });
    this.progress();
    this.ctx.wake();
  }

  async onDone(): Promise<void> {
    if (await this.move({ kind: 'complete' }, { verified: this.n })) await this.release();
  }

  async onDecline(): Promise<void> {
    if (!(await this.move({ kind: 'decline', by: 'remote' }))) return;
    await this.release();
    await this.ctx.storage.discard(this.id).catch(() => undefined);
    this.error(ErrorCode.FILE_DECLINED, 'the contact declined the file');
  }

  async onRemotePause(remote: boolean): Promise<void> {
    if (this.paused.remote === remote || this.isOver()) return;
    await this.setPaused({ ...this.paused, remote });
    this.ctx.wake();
  }

  async pauseLocal(local: boolean): Promise<void> {
    await this.setPaused({ ...this.paused, local });
    this.send({ type: local ? 'file_pause' : 'file_resume', payload: { id: this.id } });
    // Paused when the session came up, we did not offer, and a receiver that has finished
    // (complete, declined, cancelled, failed) has nothing to resume: without an offer we would
    // never hear its answer. The mirror of the receiver's accept after its resume (§13.5).
    if (!local && this.state.kind === 'idle') await this.attached();
    this.ctx.wake();
  }

  isOver(): boolean {
    const k = this.record.status.kind;
    return k === 'complete' || k === 'declined' || k === 'cancelled' || k === 'failed';
  }

  // ---- for the pump ----

  /** A chunk may go now: streaming, nobody paused, and the window has room for it. */
  nextJob(window: number): ChunkJob | undefined {
    if (this.state.kind !== 'streaming' || this.record.status.kind !== 'active') return undefined;
    const run = this.state.run;
    if (run.next >= this.n) return undefined;
    const { offset, length } = chunkRange(this.meta, run.next);
    const inFlight = bytesOf(this.meta, run.next) - bytesOf(this.meta, this.record.verified);
    // At least one chunk may always be in flight, whatever the window.
    if (run.next > this.record.verified && inFlight + length > window) return undefined;
    return { run, index: run.next, offset, length };
  }

  /** Still the chunk to send after the awaits of reading it? */
  isCurrent(job: ChunkJob): boolean {
    return (
      this.state.kind === 'streaming' &&
      this.state.run === job.run &&
      job.run.next === job.index &&
      this.record.status.kind === 'active'
    );
  }

  sent(job: ChunkJob): void {
    job.run.next = job.index + 1;
  }

  async read(job: ChunkJob): Promise<Uint8Array> {
    this.source ??= await this.ctx.storage.openSource(this.id);
    const data = await this.source.read(job.offset, job.length);
    if (data.length !== job.length) throw new RangeError('short read');
    return data;
  }

  /** Our own copy of the file cannot be read (or sent): the transfer cannot go on. */
  readFailed(cause: unknown, code: 3003 | 3008 = 3008): void {
    // Stop at once, so the pump does not pick this transfer again before the cancel runs.
    this.state = IDLE;
    this.ctx.enqueue(async () => {
      if (!(await this.cancelled('local', code))) return;
      this.send({ type: 'file_cancel', payload: { id: this.id, code } });
      this.error(code, code === 3008 ? 'could not read the file' : 'chunk too large', cause);
    });
  }

  private progress(): void {
    const bytes = bytesOf(this.meta, this.record.verified);
    this.ctx.emit('progress', { id: this.id, bytes, size: this.meta.size });
  }
}
