// TransferStorage for the browser (PROTOCOL.md §13 app side): records in IndexedDB, file data in
// OPFS `transfers/<id>`. Writes go through the OPFS worker; reads use getFile() slices, which
// the browser serves from disk without loading the file.

import type { PeerlineError } from '../../crypto/errors.ts';
import { putTransfer } from '../../db/transfers.ts';
import {
  type FileSink,
  type FileSource,
  quotaError,
  storageError,
  type TransferId,
  type TransferRecord,
  type TransferStorage,
} from './engine.ts';
import { OpfsError, opfs } from './opfs-client.ts';
import { TRANSFERS_DIR } from './opfs-protocol.ts';
import { promisedBytes } from './store.ts';

/**
 * Typed 3008 for an OPFS failure (3001 when the quota is used up); the DOMException name is the
 * only detail (no data).
 */
export function asStorageError(e: unknown): PeerlineError {
  const name = e instanceof OpfsError ? e.opName : e instanceof DOMException ? e.name : 'Error';
  if (name === 'QuotaExceededError') return quotaError('storage is full', e);
  return storageError(`file storage failed (${name})`, e);
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asStorageError(e);
  }
}

export async function transfersDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(TRANSFERS_DIR, { create: true });
}

/** The stored file of a transfer, for reading (source, preview, save). */
export async function storedFile(id: TransferId): Promise<File> {
  // A sync access handle left open in the worker would make the read fail.
  await opfs().request({ op: 'close', id });
  return (await (await transfersDir()).getFileHandle(id)).getFile();
}

/** The async iteration of directories (lib "DOM.AsyncIterable", not in our tsconfig). */
interface ListableDir {
  keys(): AsyncIterable<string>;
}

/** Names in `transfers/` (transfer ids, plus anything a crash left behind). */
export async function storedIds(): Promise<string[]> {
  const ids: string[] = [];
  const dir = (await transfersDir()) as unknown as ListableDir;
  for await (const name of dir.keys()) ids.push(name);
  return ids;
}

export function removeStored(id: TransferId): Promise<void> {
  return guard(async () => {
    await opfs().request({ op: 'remove', id });
  });
}

/** Everything under `transfers/`: the identity is gone. */
export function removeAllStored(): Promise<void> {
  // Through the worker, which first lets go of any file it still has open.
  return guard(async () => void (await opfs().request({ op: 'removeAll', id: '' })));
}

/**
 * Writes are pipelined: write() posts to the worker and returns at once (the worker applies
 * them in order), so a chunk does not wait for the previous one's round trip. A failure is
 * reported by the next write or by flush(), which the engine calls before every checkpoint —
 * nothing is acknowledged to the sender before its bytes are on disk. What can be in flight is
 * bounded by the sender's window (PROTOCOL.md §13.4): it waits for acks, acks wait for flush.
 */
function sink(id: TransferId): FileSink {
  const client = opfs();
  let inFlight: Promise<unknown>[] = [];
  let failure: unknown;
  const settle = async (): Promise<void> => {
    const all = inFlight;
    inFlight = [];
    await Promise.all(all);
  };
  const raise = (): void => {
    if (failure !== undefined) throw asStorageError(failure);
  };
  return {
    async write(offset, data) {
      raise();
      // A copy the worker can take over: `data` may be a view into a frame buffer.
      const req = client.request({ op: 'write', id, offset, data: data.slice() });
      inFlight.push(
        req.catch((e: unknown) => {
          failure ??= e;
        }),
      );
    },
    async flush() {
      await settle();
      raise();
      await guard(async () => void (await client.request({ op: 'flush', id })));
    },
    async truncate(size) {
      await settle();
      raise();
      await guard(async () => void (await client.request({ op: 'truncate', id, size })));
    },
    async close() {
      await settle();
      await guard(async () => void (await client.request({ op: 'close', id })));
      raise();
    },
  };
}

/** Bytes read from the stored file at a time; the chunks of the engine are served from it. */
const READ_AHEAD = 2 * 1024 * 1024;

/**
 * A Blob read is an IPC round trip to the browser process: reading 2 MiB blocks, one ahead,
 * keeps it off the sending path (per 64 KiB chunk it cost as much as encrypting the chunk).
 */
function source(file: File): FileSource {
  const blocks = new Map<number, Promise<Uint8Array>>();
  const block = (k: number): Promise<Uint8Array> => {
    let b = blocks.get(k);
    if (!b) {
      const start = k * READ_AHEAD;
      b = guard(
        async () => new Uint8Array(await file.slice(start, start + READ_AHEAD).arrayBuffer()),
      );
      blocks.set(k, b);
      // A failed block is not kept: the next read tries again.
      b.catch(() => blocks.delete(k));
    }
    return b;
  };
  return {
    size: file.size,
    async read(offset, length) {
      const end = Math.min(file.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const first = Math.floor(offset / READ_AHEAD);
      const last = Math.floor((end - 1) / READ_AHEAD);
      // Only the blocks around the reader stay in memory (a resume may jump anywhere).
      for (const k of blocks.keys()) if (k < first || k > last + 1) blocks.delete(k);
      if (last + 1 < Math.ceil(file.size / READ_AHEAD)) void block(last + 1).catch(() => undefined);
      if (first === last) {
        const b = await block(first);
        const at = offset - first * READ_AHEAD;
        // A view: blocks are never written to, so the engine may keep it while it sends.
        return b.subarray(at, at + (end - offset));
      }
      const out = new Uint8Array(end - offset);
      for (let k = first; k <= last; k++) {
        const b = await block(k);
        const from = Math.max(offset, k * READ_AHEAD);
        const to = Math.min(end, (k + 1) * READ_AHEAD);
        out.set(b.subarray(from - k * READ_AHEAD, to - k * READ_AHEAD), from - offset);
      }
      return out;
    },
  };
}

/**
 * Free bytes for a new file: the browser's storage estimate for this origin minus what running
 * transfers and copies still have to write (store.ts promisedBytes; `except` is the file being
 * checked). Undefined when the browser gives no estimate.
 */
export async function availableBytes(except?: TransferId): Promise<number | undefined> {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    if (quota === undefined) return undefined;
    return Math.max(0, quota - (usage ?? 0) - promisedBytes(except));
  } catch {
    return undefined;
  }
}

export interface ContactStorage extends TransferStorage {
  /** The contact's chat is being deleted: records are no longer written back. */
  retire(): void;
}

export function createStorage(): ContactStorage {
  let retired = false;
  return {
    async save(record: TransferRecord) {
      if (retired) return;
      await guard(() => putTransfer(record));
    },
    openSource: (id) => guard(async () => source(await storedFile(id))),
    openSink: (id) =>
      guard(async () => {
        await opfs().request({ op: 'open', id });
        return sink(id);
      }),
    available: () => availableBytes(),
    discard: (id) => removeStored(id),
    retire() {
      retired = true;
    },
  };
}
