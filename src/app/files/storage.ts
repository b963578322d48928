// TransferStorage for the browser (PROTOCOL.md §13 app side): records in IndexedDB, file data in
// OPFS `transfers/<id>`. Writes go through the OPFS worker; reads use getFile() slices, which
// the browser serves from disk without loading the file.

import type { PeerlineError } from '../../crypto/errors.ts';
import { putTransfer } from '../../db/transfers.ts';
import {
  type FileSink,
  type FileSource,
  storageError,
  type TransferId,
  type TransferRecord,
  type TransferStorage,
} from './engine.ts';
import { OpfsError, opfs } from './opfs-client.ts';
import { TRANSFERS_DIR } from './opfs-protocol.ts';

/** Typed 3008 for an OPFS failure; the DOMException name is the only detail (no data). */
export function asStorageError(e: unknown): PeerlineError {
  const name = e instanceof OpfsError ? e.opName : e instanceof DOMException ? e.name : 'Error';
  const why = name === 'QuotaExceededError' ? 'storage is full' : name;
  return storageError(`file storage failed (${why})`, e);
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

function sink(id: TransferId): FileSink {
  const client = opfs();
  return {
    write: (offset, data) =>
      guard(async () => {
        // A copy the worker can take over: `data` may be a view into a frame buffer.
        await client.request({ op: 'write', id, offset, data: data.slice() });
      }),
    flush: () => guard(async () => void (await client.request({ op: 'flush', id }))),
    truncate: (size) =>
      guard(async () => void (await client.request({ op: 'truncate', id, size }))),
    close: () => guard(async () => void (await client.request({ op: 'close', id }))),
  };
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
    openSource: (id) =>
      guard(async (): Promise<FileSource> => {
        const file = await storedFile(id);
        return {
          size: file.size,
          read: (offset, length) =>
            guard(
              async () => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
            ),
        };
      }),
    openSink: (id) =>
      guard(async () => {
        await opfs().request({ op: 'open', id });
        return sink(id);
      }),
    async available() {
      try {
        const { quota, usage } = await navigator.storage.estimate();
        return quota === undefined ? undefined : Math.max(0, quota - (usage ?? 0));
      } catch {
        return undefined;
      }
    },
    discard: (id) => removeStored(id),
    retire() {
      retired = true;
    },
  };
}
