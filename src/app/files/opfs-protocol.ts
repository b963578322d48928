// Messages between the page and the OPFS worker (opfs-worker.ts). The worker owns every
// FileSystemSyncAccessHandle: synchronous, exclusive and fast, but only available in workers.

/** Where transfer files live in the origin private file system: `transfers/<id>`. */
export const TRANSFERS_DIR = 'transfers';

/** Sender copy: slices read, written and hashed at a time (never the whole file in memory). */
export const IMPORT_SLICE = 4 * 1024 * 1024;

export type OpfsOp =
  /** Copies `file` into `transfers/<id>` (replacing it) and returns its SHA-256 (hex). */
  | { readonly op: 'import'; readonly id: string; readonly file: Blob }
  /** Opens (creating if needed, keeping existing data) the file for writes. */
  | { readonly op: 'open'; readonly id: string }
  | {
      readonly op: 'write';
      readonly id: string;
      readonly offset: number;
      readonly data: Uint8Array;
    }
  | { readonly op: 'flush'; readonly id: string }
  | { readonly op: 'truncate'; readonly id: string; readonly size: number }
  /** Releases the handle (reading through getFile() is then safe). No-op if not open. */
  | { readonly op: 'close'; readonly id: string }
  /** Closes and deletes the file; no error if it does not exist. */
  | { readonly op: 'remove'; readonly id: string }
  /**
   * Stops the `import` of `id` at its next slice (it then fails with AbortError), whether it runs
   * now or is still queued. Answered at once, outside the file's queue.
   */
  | { readonly op: 'abort'; readonly id: string }
  /** Closes every handle and deletes `transfers/` with everything in it (`id` is ''). */
  | { readonly op: 'removeAll'; readonly id: '' };

export type OpfsRequest = OpfsOp & { readonly seq: number };

export type OpfsResponse =
  | { readonly seq: number; readonly kind: 'progress'; readonly bytes: number }
  | { readonly seq: number; readonly kind: 'done'; readonly sha256?: string }
  /** `name` is the DOMException name (QuotaExceededError, NotFoundError, …): no file data. */
  | { readonly seq: number; readonly kind: 'error'; readonly name: string };
