// A storage double that can fail and crash like the app's (OPFS + IndexedDB): writes are
// durable only after flush(), a failed flush loses the unflushed writes, a crash (page reload)
// loses them too and freezes the engine that used it, and saves can be held to back up an
// engine's job queue. For the review's regression and property tests.

import { ErrorCode, PeerlineError } from '../../crypto/errors.ts';
import { createFakeClock, type FakeClock } from '../clock.ts';
import { type Link, link } from './test-support.ts';
import { createFileTransfers } from './transfers.ts';
import type {
  FileSink,
  FileSource,
  FileTransfers,
  TransferId,
  TransferLimits,
  TransferRecord,
  TransferStorage,
} from './types.ts';

interface Write {
  readonly offset: number;
  readonly data: Uint8Array;
}

/** Small chunks and limits on a slow link: the fault tests reach many checkpoints quickly. */
export const CHUNK = 4096;
export const LIMITS = {
  highWaterMark: 64 * 1024,
  lowWaterMark: 16 * 1024,
  window: 128 * 1024,
  ackEvery: 16 * 1024,
};
export const DUPLEX = { bytesPerSecond: 1_000_000, latencyMs: 5 };

export interface Faults {
  /** true: this read rejects (the file is gone). */
  read?: (id: TransferId, offset: number) => boolean;
  /** true: this write rejects and writes nothing. */
  write?: (id: TransferId, offset: number) => boolean;
  /** true: this flush rejects and the writes since the last good flush are lost. */
  flush?: (id: TransferId) => boolean;
  /** Failing writes and flushes say the storage is full (3001, as the app's OPFS storage does
   * for QuotaExceededError) instead of failing for another reason. */
  full?: boolean;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function apply(base: Uint8Array, writes: readonly Write[]): Uint8Array {
  const end = writes.reduce((m, w) => Math.max(m, w.offset + w.data.length), base.length);
  const out = new Uint8Array(end);
  out.set(base);
  for (const w of writes) out.set(w.data, w.offset);
  return out;
}

export class FaultyStorage {
  readonly records = new Map<string, TransferRecord>();
  readonly discarded: string[] = [];
  /** Per file, every write that succeeded: [offset, length]. */
  readonly writeLog = new Map<string, [number, number][]>();
  faults: Faults = {};

  private failure(detail: string): Error {
    return this.faults.full
      ? new PeerlineError(ErrorCode.FILE_QUOTA_EXCEEDED, 'storage is full')
      : new Error(detail);
  }
  private readonly durable = new Map<string, Uint8Array>();
  private readonly pending = new Map<string, Write[]>();
  private generation = 0;
  private holding = false;
  private readonly held: (() => void)[] = [];

  /** A file to send, already durable. */
  put(id: TransferId, bytes: Uint8Array): void {
    this.durable.set(id, bytes);
  }

  /** What survives a crash now. */
  durableFile(id: TransferId): Uint8Array | undefined {
    return this.durable.get(id);
  }

  /** The page died: unflushed writes are gone; the handles given out so far never answer. */
  crash(): void {
    this.generation++;
    this.pending.clear();
    this.releaseAll();
  }

  /** From now on, save() waits until released. */
  hold(): void {
    this.holding = true;
  }

  get heldCount(): number {
    return this.held.length;
  }

  releaseOne(): void {
    this.held.shift()?.();
  }

  releaseAll(): void {
    this.holding = false;
    for (const f of this.held.splice(0)) f();
  }

  /** The storage one engine (one page load) sees. */
  handle(): TransferStorage {
    const gen = this.generation;
    const alive = () => gen === this.generation;
    return {
      save: async (record) => {
        if (!alive()) return never();
        if (this.holding) await new Promise<void>((r) => this.held.push(r));
        if (!alive()) return never();
        this.records.set(record.meta.id, record);
      },
      openSource: async (id) => (alive() ? this.source(id, alive) : never()),
      openSink: async (id) => (alive() ? this.sink(id, alive) : never()),
      available: async () => undefined,
      discard: async (id) => {
        if (!alive()) return never();
        this.discarded.push(id);
        this.durable.delete(id);
        this.pending.delete(id);
      },
    };
  }

  private source(id: TransferId, alive: () => boolean): FileSource {
    const file = this.durable.get(id);
    if (file === undefined) throw new Error('no such file');
    return {
      size: file.length,
      read: async (offset, length) => {
        if (!alive()) return never();
        if (this.faults.read?.(id, offset)) throw new Error('file gone');
        return file.slice(offset, offset + length);
      },
    };
  }

  private sink(id: TransferId, alive: () => boolean): FileSink {
    const writes = (): Write[] => {
      let list = this.pending.get(id);
      if (list === undefined) {
        list = [];
        this.pending.set(id, list);
      }
      return list;
    };
    const guard = <T>(f: () => T): Promise<T> => (alive() ? Promise.resolve().then(f) : never());
    return {
      write: (offset, data) =>
        guard(() => {
          if (this.faults.write?.(id, offset)) throw this.failure('write failed');
          const log = this.writeLog.get(id) ?? [];
          log.push([offset, data.length]);
          this.writeLog.set(id, log);
          writes().push({ offset, data: data.slice() });
        }),
      flush: () =>
        guard(() => {
          const list = writes().splice(0);
          if (this.faults.flush?.(id)) throw this.failure('flush failed');
          this.durable.set(id, apply(this.durable.get(id) ?? new Uint8Array(0), list));
        }),
      truncate: (size) =>
        guard(() => {
          const now = apply(this.durable.get(id) ?? new Uint8Array(0), writes().splice(0));
          this.durable.set(id, now.slice(0, size));
        }),
      close: () => guard(() => undefined),
    };
  }
}

export interface FaultSide {
  readonly engine: FileTransfers;
  readonly errors: { id: string; code: number }[];
}

/** One engine (one page load) over `storage`, restored from its records. */
export function faultSide(
  contact: string,
  storage: FaultyStorage,
  clock: FakeClock,
  limits: Partial<TransferLimits> = {},
): FaultSide {
  const engine = createFileTransfers({
    contact,
    storage: storage.handle(),
    limits,
    now: () => clock.now(),
  });
  engine.load([...storage.records.values()]);
  const errors: { id: string; code: number }[] = [];
  engine.on('error', (e) => errors.push({ id: e.id, code: e.error.code }));
  return { engine, errors };
}

/** Resolves after `ms` of the fake clock (run it with drive()). */
export function sleep(clock: FakeClock, ms: number): Promise<void> {
  return new Promise((r) => clock.setTimeout(r, ms));
}

export interface FaultPair {
  readonly clock: FakeClock;
  /** The first session; the engines are not attached to it (tests choose how). */
  readonly l: Link;
  readonly sa: FaultyStorage;
  readonly sb: FaultyStorage;
  /** Bob's engine: the sender in these tests. */
  readonly a: FaultSide;
  /** Alice's engine: the receiver. */
  readonly b: FaultSide;
}

/** Two engines over fault-injecting storage and one slow link, all on a fresh fake clock. */
export async function faultPair(limits: Partial<TransferLimits> = LIMITS): Promise<FaultPair> {
  const clock = createFakeClock();
  const l = await link(clock, DUPLEX);
  const sa = new FaultyStorage();
  const sb = new FaultyStorage();
  return {
    clock,
    l,
    sa,
    sb,
    a: faultSide('bob', sa, clock, limits),
    b: faultSide('alice', sb, clock, limits),
  };
}
