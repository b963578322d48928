// The receiving side of one transfer (PROTOCOL.md §13): accept, runs (file_accept → file_start
// → chunks in order), writing and hashing each chunk, checkpoints with acks, and the final
// digest check. One accept per session; the first after a reload resumes from the checkpoint.

import { toHex } from '../../crypto/bytes.ts';
import { ErrorCode, isPeerlineError, PeerlineError } from '../../crypto/errors.ts';
import { createSha256Stream, type Sha256Stream } from '../../crypto/sha256-stream.ts';
import { bytesOf, chunkRange } from './constants.ts';
import { isRunning } from './status.ts';
import { Transfer } from './transfer.ts';
import type { FileSink } from './types.ts';

/** Per-session run state; `none` = no file_accept sent in this session yet. */
type RecvRun =
  | { readonly kind: 'none' }
  | { readonly kind: 'awaiting_start'; readonly from: number }
  | { readonly kind: 'receiving'; readonly next: number }
  | { readonly kind: 'stopped' };

export type ChunkOutcome = 'written' | 'dropped' | 'unsolicited' | 'invalid';

const NONE: RecvRun = { kind: 'none' };

export class IncomingTransfer extends Transfer {
  private run: RecvRun = NONE;
  private hash: Sha256Stream | undefined;
  /** Chunks in `hash` (and written); ≥ record.verified, equal after each checkpoint. */
  private hashed = 0;
  private sink: FileSink | undefined;
  private sinceAck = 0;

  async attached(): Promise<void> {
    if (isRunning(this.record.status) && !this.paused.local) await this.sendAccept();
  }

  async detached(): Promise<void> {
    if (this.run.kind === 'receiving' && this.hashed > this.record.verified) {
      await this.checkpoint('quiet').catch((cause: unknown) => this.storageFailed(cause));
    }
    this.run = NONE;
  }

  protected async release(): Promise<void> {
    this.run = NONE;
    this.hash = undefined;
    const sink = this.sink;
    this.sink = undefined;
    await sink?.close().catch(() => undefined);
  }

  /** The user's yes: limits first (3000, 3001), then file_accept{from: verified}. */
  async accept(): Promise<void> {
    if (this.record.status.kind !== 'offered') {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'transfer is not an open offer');
    }
    const size = this.meta.size;
    if (size > this.ctx.limits.maxFileSize) this.refuse(ErrorCode.FILE_TOO_LARGE, 'file too large');
    const available = await this.ctx.storage.available();
    if (available !== undefined && available < size - bytesOf(this.meta, this.record.verified)) {
      this.refuse(ErrorCode.FILE_QUOTA_EXCEEDED, 'not enough storage for the file');
    }
    try {
      await this.prepare();
    } catch (cause) {
      this.refuse(ErrorCode.FILE_STORAGE_ERROR, 'could not open the file', cause);
    }
    if (!(await this.move({ kind: 'accept', paused: this.paused }))) return;
    if (this.ctx.session() !== undefined) await this.sendAccept();
  }

  async decline(): Promise<void> {
    if (!(await this.move({ kind: 'decline', by: 'local' }))) {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'transfer is not an open offer');
    }
    this.send({ type: 'file_decline', payload: { id: this.id } });
    await this.release();
    await this.ctx.storage.discard(this.id).catch(() => undefined);
  }

  /** The sender offered again (new session): answer from where this side stands. */
  async onReoffer(): Promise<void> {
    // A sender re-offers only what it has not paused itself.
    if (this.paused.remote) await this.setPaused({ ...this.paused, remote: false });
    const s = this.record.status;
    const id = this.id;
    if (isRunning(s)) {
      if (this.paused.local) this.send({ type: 'file_pause', payload: { id } });
      else if (this.run.kind === 'none') await this.sendAccept();
    } else if (s.kind === 'declined' && s.by === 'local') {
      this.send({ type: 'file_decline', payload: { id } });
    } else if (s.kind === 'cancelled' && s.by === 'local') {
      this.send({ type: 'file_cancel', payload: { id, code: s.code } });
    } else if (s.kind === 'complete') {
      this.send({ type: 'file_done', payload: { id } });
    } else if (s.kind === 'failed') {
      this.send({ type: 'file_pause', payload: { id } });
    }
  }

  async onStart(from: number): Promise<void> {
    if (this.run.kind !== 'awaiting_start' || this.run.from !== from) return;
    this.run = { kind: 'receiving', next: from };
    this.sinceAck = 0;
    if (from === this.n) await this.finish();
  }

  async onRemotePause(remote: boolean): Promise<void> {
    const s = this.record.status;
    if (this.paused.remote === remote || s.kind === 'complete' || s.kind === 'cancelled') return;
    await this.setPaused({ ...this.paused, remote });
    if (
      !remote &&
      isRunning(this.record.status) &&
      !this.paused.local &&
      this.run.kind === 'none'
    ) {
      await this.sendAccept();
    }
  }

  async pauseLocal(local: boolean): Promise<void> {
    await this.setPaused({ ...this.paused, local });
    this.send({ type: local ? 'file_pause' : 'file_resume', payload: { id: this.id } });
    if (
      !local &&
      isRunning(this.record.status) &&
      this.run.kind === 'none' &&
      this.ctx.session() !== undefined
    ) {
      await this.sendAccept();
    }
  }

  /** Requested again after a failure: from the checkpoint, or from 0 after a hash mismatch. */
  async retry(): Promise<void> {
    const s = this.record.status;
    if (s.kind !== 'failed') {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'only a failed transfer is retried');
    }
    if (s.code === ErrorCode.FILE_HASH_MISMATCH) {
      await this.prepare();
      await this.sink?.truncate(0);
      const hash = await createSha256Stream();
      this.hash = hash;
      this.hashed = 0;
      await this.commit({ verified: 0, hash: hash.snapshot() });
    }
    await this.move({ kind: 'retry', paused: this.paused });
    this.run = NONE;
    if (this.ctx.session() !== undefined && !this.paused.local) await this.sendAccept();
  }

  /** Chunks of this transfer were dropped for a full backlog (§13.4): the run cannot go on. */
  async onOverrun(): Promise<void> {
    if (!isRunning(this.record.status) || this.run.kind !== 'receiving') return;
    await this.fail(ErrorCode.FILE_CHUNK_INVALID, 'the sender ignored the window');
  }

  /** One BINARY chunk for this transfer (PROTOCOL.md §13 "Receiver per chunk"). */
  async onChunk(index: number, data: Uint8Array): Promise<ChunkOutcome> {
    const s = this.record.status;
    if (s.kind === 'offered' || s.kind === 'declined') {
      this.error(ErrorCode.FILE_UNSOLICITED_DATA, 'chunk for a transfer never accepted');
      return 'unsolicited';
    }
    if (!isRunning(s) || this.run.kind !== 'receiving') return 'dropped';
    const next = this.run.next;
    const expected = chunkRange(this.meta, index).length;
    if (index !== next || index >= this.n || data.length !== expected) {
      await this.fail(ErrorCode.FILE_CHUNK_INVALID, `bad chunk ${index} (expected ${next})`);
      return 'invalid';
    }
    const sink = this.sink;
    const hash = this.hash;
    try {
      // Both exist while receiving (sendAccept prepared them); a missing one is a storage fault.
      if (sink === undefined || hash === undefined) throw new Error('file not open');
      await sink.write(index * this.meta.chunkSize, data);
    } catch (cause) {
      await this.fail(storageCode(cause), 'could not write the file', cause);
      return 'invalid';
    }
    hash.update(data);
    this.hashed = index + 1;
    this.run = { kind: 'receiving', next: index + 1 };
    this.sinceAck += data.length;
    const bytes = bytesOf(this.meta, this.hashed);
    this.ctx.emit('progress', { id: this.id, bytes, size: this.meta.size });
    if (this.hashed === this.n) await this.finish();
    // §13.5 "at least every ackEvery bytes": ack now if the next chunk would overshoot.
    else if (this.sinceAck + this.meta.chunkSize > this.ctx.limits.ackEvery) {
      await this.checkpoint('ack').catch((cause: unknown) => this.storageFailed(cause));
    }
    return 'written';
  }

  /** Sink open and hash at `verified` (restored from the checkpoint after a reload). */
  private async prepare(): Promise<void> {
    if (this.hash === undefined) {
      // The checkpoint is read once, before the await: the hash and `hashed` must match it.
      const verified = this.record.verified;
      const from = verified > 0 ? this.record.hash : undefined;
      const hash = await createSha256Stream(from);
      // The engine's job queue runs one call at a time, so nobody prepared meanwhile; the check
      // only keeps a first hash if that ever changes.
      if (this.hash === undefined) {
        this.hash = hash;
        this.hashed = from === undefined ? 0 : verified;
        if (from === undefined && verified !== 0) await this.commit({ verified: 0 });
      }
    }
    this.sink ??= await this.ctx.storage.openSink(this.id);
  }

  private async sendAccept(): Promise<void> {
    try {
      await this.prepare();
    } catch (cause) {
      await this.fail(ErrorCode.FILE_STORAGE_ERROR, 'could not open the file', cause);
      return;
    }
    // Unsent, it must not wait for a file_start: the next attach sends it.
    if (this.ctx.session() === undefined) return;
    const from = this.hashed;
    this.send({ type: 'file_accept', payload: { id: this.id, from } });
    this.run = { kind: 'awaiting_start', from };
  }

  /**
   * Flush, then record `hashed` as verified with the hash state; 'ack' tells the sender. Rejects
   * when the flush does (nothing recorded): callers turn that into storageFailed.
   */
  private async checkpoint(mode: 'ack' | 'quiet'): Promise<void> {
    this.sinceAck = 0;
    const hash = this.hash;
    if (hash === undefined) return;
    await this.sink?.flush();
    await this.commit({ verified: this.hashed, hash: hash.snapshot() });
    if (mode === 'ack' && this.hashed > 0) {
      this.send({ type: 'file_ack', payload: { id: this.id, next: this.hashed } });
    }
  }

  private async finish(): Promise<void> {
    try {
      await this.checkpoint('ack');
    } catch (cause) {
      await this.storageFailed(cause);
      return;
    }
    if (!(await this.move({ kind: 'verify' }))) return;
    const digest = this.hash ? toHex(this.hash.digest()) : '';
    if (digest !== this.meta.sha256) {
      await this.fail(ErrorCode.FILE_HASH_MISMATCH, 'SHA-256 of the file does not match the offer');
      return;
    }
    await this.move({ kind: 'complete' });
    this.send({ type: 'file_done', payload: { id: this.id } });
    await this.release();
  }

  private storageFailed(cause: unknown): Promise<void> {
    return this.fail(storageCode(cause), 'could not store the file', cause);
  }

  /** Stops this run, keeping the partial file and the checkpoint; the sender is told to pause. */
  private async fail(
    code: 3001 | 3003 | 3004 | 3008,
    detail: string,
    cause?: unknown,
  ): Promise<void> {
    if (code !== ErrorCode.FILE_HASH_MISMATCH) {
      const kept = await this.checkpoint('quiet').then(
        () => true,
        () => false,
      );
      // Bytes hashed since the last durable checkpoint may not be on disk: forget them, so a
      // retry restores the hash from that checkpoint and reopens the file (a broken handle
      // is not reused).
      if (
        !kept ||
        code === ErrorCode.FILE_STORAGE_ERROR ||
        code === ErrorCode.FILE_QUOTA_EXCEEDED
      ) {
        await this.reopenLater();
      }
    }
    this.run = { kind: 'stopped' };
    await this.move({ kind: 'fail', code, detail });
    this.send({ type: 'file_pause', payload: { id: this.id } });
    this.error(code, detail, cause);
  }

  private async reopenLater(): Promise<void> {
    this.hash = undefined;
    this.hashed = this.record.verified;
    const sink = this.sink;
    this.sink = undefined;
    await sink?.close().catch(() => undefined);
  }

  private refuse(code: 3000 | 3001 | 3008, detail: string, cause?: unknown): never {
    const error = new PeerlineError(code, detail, cause === undefined ? undefined : { cause });
    this.ctx.emit('error', { id: this.id, error });
    throw error;
  }
}

/**
 * §13.7: storage that ran out (the storage says so with 3001: a full disk, or a private window's
 * in-memory cap) is FILE_QUOTA_EXCEEDED, which a person can act on; any other failure is 3008.
 */
function storageCode(cause: unknown): 3001 | 3008 {
  return isPeerlineError(cause, ErrorCode.FILE_QUOTA_EXCEEDED)
    ? ErrorCode.FILE_QUOTA_EXCEEDED
    : ErrorCode.FILE_STORAGE_ERROR;
}
