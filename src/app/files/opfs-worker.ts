// The OPFS worker: writes transfer files through synchronous access handles (the fastest OPFS
// path, workers only) and copies picked files into OPFS while hashing them, so neither the disk
// nor SHA-256 ever blocks the page. Requests for one file run in order; files run side by side.

import { toHex } from '../../crypto/bytes.ts';
import { createSha256Stream } from '../../crypto/sha256-stream.ts';
import {
  IMPORT_SLICE,
  type OpfsOp,
  type OpfsRequest,
  type OpfsResponse,
  TRANSFERS_DIR,
} from './opfs-protocol.ts';

/** FileSystemSyncAccessHandle (not in TypeScript's DOM lib: it exists in workers only). */
interface SyncHandle {
  write(data: Uint8Array, options: { at: number }): number;
  flush(): void;
  truncate(size: number): void;
  getSize(): number;
  close(): void;
}

interface SyncCapable {
  createSyncAccessHandle(): Promise<SyncHandle>;
}

const handles = new Map<string, SyncHandle>();
const queues = new Map<string, Promise<void>>();
let dir: Promise<FileSystemDirectoryHandle> | undefined;

function transfersDir(): Promise<FileSystemDirectoryHandle> {
  if (!dir) {
    dir = navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(TRANSFERS_DIR, { create: true }));
    dir.catch(() => {
      dir = undefined;
    });
  }
  return dir;
}

function reply(r: OpfsResponse): void {
  postMessage(r);
}

async function open(id: string): Promise<SyncHandle> {
  const existing = handles.get(id);
  if (existing) return existing;
  const file = await (await transfersDir()).getFileHandle(id, { create: true });
  if (!('createSyncAccessHandle' in file))
    throw new DOMException('no sync access', 'NotSupportedError');
  const handle = await (file as unknown as SyncCapable).createSyncAccessHandle();
  handles.set(id, handle);
  return handle;
}

function close(id: string): void {
  const h = handles.get(id);
  if (!h) return;
  handles.delete(id);
  h.close();
}

function writeAll(h: SyncHandle, data: Uint8Array, at: number): void {
  const written = h.write(data, { at });
  // A short write means the disk or the quota ran out mid-way.
  if (written !== data.length) throw new DOMException('short write', 'QuotaExceededError');
}

/** Imports the user cancelled ('abort'); cleared when the file is removed. */
const aborted = new Set<string>();

function checkAborted(id: string): void {
  if (aborted.has(id)) throw new DOMException('import cancelled', 'AbortError');
}

async function importFile(seq: number, id: string, file: Blob): Promise<string> {
  checkAborted(id);
  close(id);
  const h = await open(id);
  try {
    h.truncate(0);
    const hash = await createSha256Stream();
    for (let at = 0; at < file.size; at += IMPORT_SLICE) {
      checkAborted(id);
      const slice = new Uint8Array(await file.slice(at, at + IMPORT_SLICE).arrayBuffer());
      writeAll(h, slice, at);
      hash.update(slice);
      reply({ seq, kind: 'progress', bytes: at + slice.length });
    }
    h.flush();
    return toHex(hash.digest());
  } finally {
    close(id);
  }
}

async function run(seq: number, req: OpfsOp): Promise<string | undefined> {
  switch (req.op) {
    case 'import':
      return importFile(seq, req.id, req.file);
    case 'open':
      await open(req.id);
      return undefined;
    case 'write':
      writeAll(await open(req.id), req.data, req.offset);
      return undefined;
    case 'flush':
      handles.get(req.id)?.flush();
      return undefined;
    case 'truncate':
      (await open(req.id)).truncate(req.size);
      return undefined;
    case 'close':
      close(req.id);
      return undefined;
    case 'removeAll': {
      for (const id of [...handles.keys()]) close(id);
      dir = undefined;
      const root = await navigator.storage.getDirectory();
      try {
        await root.removeEntry(TRANSFERS_DIR, { recursive: true });
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
      }
      return undefined;
    }
    case 'abort':
      // Handled in onmessage, never queued.
      return undefined;
    case 'remove':
      aborted.delete(req.id);
      close(req.id);
      try {
        await (await transfersDir()).removeEntry(req.id);
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
      }
      return undefined;
  }
}

function errorName(e: unknown): string {
  return e instanceof DOMException || e instanceof Error ? e.name : 'Error';
}

self.onmessage = (event: MessageEvent<OpfsRequest>) => {
  const req = event.data;
  if (req.op === 'abort') {
    // Not behind the import it stops: that import checks the flag between slices.
    aborted.add(req.id);
    reply({ seq: req.seq, kind: 'done' });
    return;
  }
  const before = queues.get(req.id) ?? Promise.resolve();
  const next = before.then(async () => {
    try {
      const sha = await run(req.seq, req);
      reply(
        sha === undefined
          ? { seq: req.seq, kind: 'done' }
          : { seq: req.seq, kind: 'done', sha256: sha },
      );
    } catch (e) {
      reply({ seq: req.seq, kind: 'error', name: errorName(e) });
    }
  });
  queues.set(req.id, next);
  void next.then(() => {
    if (queues.get(req.id) === next) queues.delete(req.id);
  });
};
