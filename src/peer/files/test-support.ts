// Test doubles and drivers for the file-transfer engine: in-memory storage (the app's OPFS +
// IndexedDB), two real sessions over the in-memory duplex (real Noise, noble backend so all
// work runs on microtasks), and a driver that moves a fake clock only when nothing else can run.

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../crypto/bytes.ts';
import type { Identity } from '../../crypto/identity.ts';
import { createFakeClock, type FakeClock } from '../clock.ts';
import type { DuplexPairOptions } from '../duplex.ts';
import type { PeerSession } from '../session.ts';
import type { Session } from '../session-types.ts';
import { connectPair } from '../test-support.ts';
import { newTransferId } from './constants.ts';
import { createFileTransfers } from './transfers.ts';
import type {
  FileMeta,
  FileSink,
  FileSource,
  FileTransfers,
  TransferLimits,
  TransferRecord,
  TransferStorage,
} from './types.ts';

export const NOBLE = { aes: 'noble', dh: 'noble' } as const;

/** Deterministic bytes (a simple LCG), so failures reproduce. */
export function fileBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function metaFor(
  id: string,
  bytes: Uint8Array,
  chunkSize: number,
  name = 'f.bin',
): FileMeta {
  return { id, name, size: bytes.length, mime: '', sha256: toHex(sha256(bytes)), chunkSize };
}

/** Byte equality without vitest's element-by-element diff (slow on MiB arrays). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/** OPFS + IndexedDB in memory. Shared by the engines of one side across "reloads". */
export class MemoryStorage implements TransferStorage {
  readonly files = new Map<string, Uint8Array>();
  readonly records = new Map<string, TransferRecord>();
  readonly discarded: string[] = [];
  readonly reads: number[] = [];
  flushes = 0;
  availableBytes: number | undefined = undefined;

  async save(record: TransferRecord): Promise<void> {
    this.records.set(record.meta.id, record);
  }

  async openSource(id: string): Promise<FileSource> {
    const file = this.files.get(id);
    if (file === undefined) throw new Error('no such file');
    return {
      size: file.length,
      read: async (offset, length) => {
        this.reads.push(length);
        return file.slice(offset, offset + length);
      },
    };
  }

  async openSink(id: string): Promise<FileSink> {
    if (!this.files.has(id)) this.files.set(id, new Uint8Array(0));
    const get = (): Uint8Array => this.files.get(id) ?? new Uint8Array(0);
    return {
      write: async (offset, data) => {
        let file = get();
        if (offset + data.length > file.length) {
          const grown = new Uint8Array(offset + data.length);
          grown.set(file);
          file = grown;
        }
        file.set(data, offset);
        this.files.set(id, file);
      },
      flush: async () => {
        this.flushes++;
      },
      truncate: async (size) => {
        this.files.set(id, get().slice(0, size));
      },
      close: async () => undefined,
    };
  }

  async available(): Promise<number | undefined> {
    return this.availableBytes;
  }

  async discard(id: string): Promise<void> {
    this.discarded.push(id);
    this.files.delete(id);
  }
}

export interface Side {
  readonly engine: FileTransfers;
  readonly storage: MemoryStorage;
  readonly errors: { id: string; code: number }[];
}

export function makeSide(
  contact: string,
  storage = new MemoryStorage(),
  limits: Partial<TransferLimits> = {},
  clock?: FakeClock,
): Side {
  const engine = createFileTransfers({
    contact,
    storage,
    limits,
    ...(clock ? { now: () => clock.now() } : {}),
  });
  engine.load([...storage.records.values()]);
  const errors: { id: string; code: number }[] = [];
  engine.on('error', (e) => errors.push({ id: e.id, code: e.error.code }));
  return { engine, storage, errors };
}

/** Steps the fake clock (1 ms at a time) whenever microtasks and immediates have run dry. */
export async function drive<T>(clock: FakeClock, p: Promise<T>, maxMs = 600_000): Promise<T> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let t = 0; !settled; t++) {
    await new Promise<void>((r) => setImmediate(r));
    if (settled) break;
    if (t > maxMs) throw new Error('drive: gave up waiting');
    clock.advance(1);
  }
  return p;
}

/** Resolves with the first record of `id` (now or later) that satisfies `pred`. */
export function recordWhere(
  engine: FileTransfers,
  id: string,
  pred: (r: TransferRecord) => boolean,
): Promise<TransferRecord> {
  const now = engine.records().find((r) => r.meta.id === id);
  if (now !== undefined && pred(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = engine.on('update', (r) => {
      if (r.meta.id === id && pred(r)) {
        off();
        resolve(r);
      }
    });
  });
}

export const status =
  (kind: string) =>
  (r: TransferRecord): boolean =>
    r.status.kind === kind;

/** The first incoming offer the engine records (any id). */
export function nextOffer(engine: FileTransfers): Promise<TransferRecord> {
  return new Promise((resolve) => {
    const off = engine.on('update', (r) => {
      if (r.direction === 'receive' && r.status.kind === 'offered') {
        off();
        resolve(r);
      }
    });
  });
}

export interface OfferOptions {
  /** Accept once the offer has arrived (default true). */
  readonly accept?: boolean;
  /** Fields that replace the honest metadata (a lying hash, say). */
  readonly meta?: Partial<FileMeta>;
}

/**
 * Stores `bytes` on the sending side under a new id (`put`), offers them from `from` and waits
 * until `to` has recorded the offer, then accepts it there unless told not to.
 */
export async function offerFile(
  clock: FakeClock,
  from: FileTransfers,
  to: FileTransfers,
  put: (id: string, bytes: Uint8Array) => void,
  bytes: Uint8Array,
  chunkSize: number,
  opts: OfferOptions = {},
): Promise<{ id: string; rec: TransferRecord }> {
  const id = newTransferId();
  put(id, bytes);
  const offered = nextOffer(to);
  await drive(clock, from.offer({ ...metaFor(id, bytes, chunkSize), ...opts.meta }));
  const rec = await drive(clock, offered);
  if (opts.accept ?? true) await drive(clock, to.accept(id));
  return { id, rec };
}

export interface Link {
  readonly clock: FakeClock;
  readonly a: PeerSession;
  readonly b: PeerSession;
  readonly fail: () => void;
  readonly idA: Identity;
  readonly idB: Identity;
}

/** Two connected sessions over an in-memory link on a fake clock. */
export async function link(
  clock: FakeClock = createFakeClock(),
  duplex: DuplexPairOptions = {},
  ids?: { a: Identity; b: Identity },
): Promise<Link> {
  const setup = await drive(
    clock,
    connectPair({
      clock,
      duplex,
      a: { backend: NOBLE, ...(ids ? { identity: ids.a } : {}) },
      b: { backend: NOBLE, ...(ids ? { identity: ids.b } : {}) },
    }),
  );
  return {
    clock,
    a: setup.a,
    b: setup.b,
    fail: () => setup.pair.fail(),
    idA: setup.idA,
    idB: setup.idB,
  };
}

/** A session seen through `edit`: lets a test wrap send/sendBinary/on of a real session. */
export function viewOf(session: Session, edit: Partial<Session>): Session {
  return new Proxy(session, {
    get(target, key) {
      if (Object.hasOwn(edit, key)) return (edit as Record<PropertyKey, unknown>)[key];
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
