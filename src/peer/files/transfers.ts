// One contact's file transfers across sessions (PROTOCOL.md §13): routes the §13 messages and
// BINARY chunks of the attached session to the transfers, runs one pump per session, and
// serialises every state change through one job queue so messages and chunks are handled in
// exactly the order the session delivered them.

import { toHex } from '../../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../../crypto/errors.ts';
import { Emitter } from '../emitter.ts';
import { newMessageId } from '../ids.ts';
import { asPeerlineError } from '../peer-errors.ts';
import { SerialQueue } from '../serial-queue.ts';
import type { Session } from '../session-types.ts';
import { MAX_RECEIVE_BACKLOG, resolveTransferLimits } from './constants.ts';
import { Pump } from './flow.ts';
import { handleChunk, handleMessage, type Inbound, newRecord } from './inbound.ts';
import { IncomingTransfer } from './receiver.ts';
import { OutgoingTransfer } from './sender.ts';
import { isRunning, transition } from './status.ts';
import type { EngineContext } from './transfer.ts';
import type {
  FileMeta,
  FileTransfers,
  FileTransfersOptions,
  TransferEvents,
  TransferRecord,
  TransferStats,
} from './types.ts';
import { checkMeta, isFileMessage } from './wire.ts';

interface Link {
  readonly session: Session;
  readonly offs: (() => void)[];
  pump: Pump | undefined;
}

function notNow(detail: string): PeerlineError {
  return new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, detail);
}

export function createFileTransfers(opts: FileTransfersOptions): FileTransfers {
  return new TransferEngine(opts);
}

class TransferEngine implements FileTransfers {
  private readonly events = new Emitter<TransferEvents>();
  private readonly ops = new SerialQueue();
  private readonly outgoing = new Map<string, OutgoingTransfer>();
  private readonly incoming = new Map<string, IncomingTransfer>();
  private readonly counters = { droppedChunks: 0, unsolicitedChunks: 0, overrunChunks: 0 };
  /** Per transfer id: bytes of chunks received but not yet handled (written and hashed). */
  private readonly backlog = new Map<string, number>();
  /** Transfers whose failure for an overrun is already queued. */
  private readonly overrun = new Set<string>();
  private link: Link | undefined;
  /**
   * The link whose event the running job handles. Jobs queued by a session that has since gone
   * may run after the next session is attached: their replies must not reach the new session,
   * where they would start a second run or answer an accept that session never saw.
   */
  private origin: Link | undefined;
  private readonly ctx: EngineContext;
  private readonly inbound: Inbound;

  constructor(private readonly opts: FileTransfersOptions) {
    const now = opts.now ?? (() => Date.now());
    this.ctx = {
      storage: opts.storage,
      limits: resolveTransferLimits(opts.limits),
      now,
      emit: (event, value) => this.events.emit(event, value),
      session: () => {
        const l = this.link;
        if (l?.pump === undefined || (this.origin !== undefined && this.origin !== l)) return;
        return l.session;
      },
      wake: () => this.link?.pump?.wake(),
      enqueue: (job) => this.background(job, ''),
    };
    this.inbound = {
      ctx: this.ctx,
      contact: opts.contact,
      outgoing: this.outgoing,
      incoming: this.incoming,
      counters: this.counters,
    };
  }

  on<K extends keyof TransferEvents>(event: K, l: (v: TransferEvents[K]) => void): () => void {
    return this.events.on(event, l);
  }

  records(): readonly TransferRecord[] {
    return [...this.outgoing.values(), ...this.incoming.values()]
      .map((t) => t.record)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  stats(): TransferStats {
    return { ...this.counters };
  }

  load(records: readonly TransferRecord[]): void {
    for (const r of records) {
      if (r.contact !== this.opts.contact) continue;
      // Verification is synchronous with the last chunk: a reload mid-way resumes from there.
      const status = transition(r.status, { kind: 'interrupted', paused: r.paused }) ?? r.status;
      const record = { ...r, status };
      if (r.direction === 'send')
        this.outgoing.set(r.meta.id, new OutgoingTransfer(this.ctx, record));
      else this.incoming.set(r.meta.id, new IncomingTransfer(this.ctx, record));
    }
  }

  attach(session: Session): () => void {
    this.detach();
    const link: Link = { session, offs: [], pump: undefined };
    this.link = link;
    link.offs.push(
      session.on('message', (m) => {
        if (!isFileMessage(m)) return;
        this.fromLink(link, () => handleMessage(this.inbound, m, this.link === link), m.payload.id);
      }),
      session.on('binary', (c) => {
        const id = toHex(c.streamId);
        const size = c.data.length;
        const queued = this.backlog.get(id) ?? 0;
        // §13.4: an honest sender has at most MAX_WINDOW of a transfer unacknowledged, and acks
        // follow the writes, so a backlog beyond MAX_RECEIVE_BACKLOG means a sender ignoring the
        // window while the disk is slower than the link. Dropping the chunk bounds memory; the
        // next one is then out of order and fails the transfer with 3003 (§13.6).
        if (queued + size > MAX_RECEIVE_BACKLOG) {
          if (this.counters.overrunChunks++ === 0 || !this.overrun.has(id)) {
            this.overrun.add(id);
            // Behind the chunks already queued: they are written, then the run fails.
            this.fromLink(link, async () => this.incoming.get(id)?.onOverrun(), id);
          }
          return;
        }
        this.overrun.delete(id);
        this.backlog.set(id, queued + size);
        this.fromLink(
          link,
          async () => {
            const left = (this.backlog.get(id) ?? size) - size;
            if (left > 0) this.backlog.set(id, left);
            else this.backlog.delete(id);
            await handleChunk(this.inbound, id, c.index, c.data);
          },
          id,
        );
      }),
      session.on('state', (s) => {
        if (s.name === 'connected') this.start(link);
        else if (s.name === 'closing' || s.name === 'disconnected') this.detach(link);
      }),
    );
    if (session.state.name === 'connected') this.start(link);
    return () => this.detach(link);
  }

  async offer(meta: FileMeta): Promise<TransferRecord> {
    const checked = checkMeta(meta);
    if (checked.size > this.ctx.limits.maxFileSize) {
      throw new PeerlineError(ErrorCode.FILE_TOO_LARGE, 'file too large');
    }
    return this.run(async () => {
      if (this.outgoing.has(checked.id) || this.incoming.has(checked.id)) {
        throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'transfer id already used');
      }
      const t = new OutgoingTransfer(
        this.ctx,
        newRecord(this.ctx, this.opts.contact, checked, 'send', newMessageId()),
      );
      this.outgoing.set(checked.id, t);
      await this.ctx.storage.save(t.record);
      this.events.emit('update', t.record);
      if (this.ctx.session() !== undefined) t.offerNow();
      return t.record;
    });
  }

  accept(id: string): Promise<void> {
    return this.run(() => this.receiving(id).accept());
  }

  decline(id: string): Promise<void> {
    return this.run(() => this.receiving(id).decline());
  }

  pause(id: string): Promise<void> {
    return this.run(async () => {
      const t = this.any(id);
      if (!isRunning(t.record.status)) throw notNow('only a running transfer pauses');
      if (!t.paused.local) await t.pauseLocal(true);
    });
  }

  resume(id: string): Promise<void> {
    return this.run(async () => {
      const t = this.any(id);
      // A finished or failed transfer has no run to lift a pause from (retry restarts a failed
      // one); answering file_resume + file_accept would reopen a file the user gave up (§13.3).
      if (!isRunning(t.record.status)) throw notNow('only a running transfer resumes');
      if (t.paused.local) await t.pauseLocal(false);
    });
  }

  cancel(id: string): Promise<void> {
    return this.run(async () => {
      const t = this.any(id);
      if (await t.cancelled('local', ErrorCode.FILE_CANCELLED)) {
        this.ctx
          .session()
          ?.send({ type: 'file_cancel', payload: { id, code: 3005 } })
          .catch(() => undefined);
      }
    });
  }

  retry(id: string): Promise<void> {
    return this.run(() => this.receiving(id).retry());
  }

  removeFile(id: string): Promise<void> {
    return this.run(async () => {
      const t = this.any(id);
      if (t.record.status.kind !== 'complete' || t.record.removed) {
        throw notNow('only a complete file that is still stored can be deleted');
      }
      await t.removeData();
    });
  }

  // ---- internals ----

  private run<T>(job: () => Promise<T>): Promise<T> {
    const p = this.ops.run(job);
    p.catch(() => undefined);
    return p;
  }

  private start(link: Link): void {
    if (this.link !== link || link.pump !== undefined) return;
    const pump = new Pump(link.session, this.ctx.limits, () => [...this.outgoing.values()]);
    link.pump = pump;
    void pump.run();
    // One job per transfer: one failing (storage) must not keep the others from resuming.
    for (const t of this.all()) {
      this.fromLink(link, async () => (this.link === link ? t.attached() : undefined), t.id);
    }
  }

  private detach(link: Link | undefined = this.link): void {
    if (link === undefined || this.link !== link) return;
    this.link = undefined;
    for (const off of link.offs) off();
    link.pump?.stop();
    for (const t of this.all()) this.fromLink(link, () => t.detached(), t.id);
  }

  private all(): (OutgoingTransfer | IncomingTransfer)[] {
    return [...this.outgoing.values(), ...this.incoming.values()];
  }

  private any(id: string): OutgoingTransfer | IncomingTransfer {
    const t = this.outgoing.get(id) ?? this.incoming.get(id);
    if (t === undefined) throw new PeerlineError(ErrorCode.FILE_UNKNOWN, 'no such transfer');
    return t;
  }

  private receiving(id: string): IncomingTransfer {
    const t = this.incoming.get(id);
    if (t === undefined) throw new PeerlineError(ErrorCode.FILE_UNKNOWN, 'no such transfer');
    return t;
  }

  /** A job caused by `link` (its message, chunk, start or end): see `origin`. */
  private fromLink(link: Link, job: () => Promise<void>, id: string): void {
    this.background(async () => {
      this.origin = link;
      try {
        await job();
      } finally {
        this.origin = undefined;
      }
    }, id);
  }

  /** Queued work nobody awaits: its failure (storage, mostly) becomes a typed 'error'. */
  private background(job: () => Promise<void>, id: string): void {
    this.ops.run(job).catch((e: unknown) => {
      const err = asPeerlineError(e);
      const error =
        err.code >= 3000
          ? err
          : new PeerlineError(ErrorCode.FILE_STORAGE_ERROR, 'storage failed', { cause: e });
      this.events.emit('error', { id, error });
    });
  }
}
