// The page's side of the OPFS worker: one worker for every transfer, requests answered by
// sequence number. Errors come back as the DOMException name only.

import type { OpfsOp, OpfsRequest, OpfsResponse } from './opfs-protocol.ts';

/** A failed OPFS operation; `name` is the DOMException name (QuotaExceededError, …). */
export class OpfsError extends Error {
  constructor(readonly opName: string) {
    super(`OPFS operation failed: ${opName}`);
    this.name = 'OpfsError';
  }
}

interface Pending {
  readonly resolve: (sha256: string | undefined) => void;
  readonly reject: (e: OpfsError) => void;
  readonly onProgress: ((bytes: number) => void) | undefined;
}

/** What the client needs of a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate?(): void;
}

export class OpfsClient {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** The worker failed to load or crashed: it will answer nothing more. */
  dead = false;

  constructor(private readonly worker: WorkerLike) {
    worker.onmessage = (e) => this.answer(e.data as OpfsResponse);
    worker.onerror = () => {
      // Nothing in flight will be answered, and nothing later either: fail all of it now, or a
      // transfer's flush would wait forever and stall that contact's whole engine queue.
      this.dead = true;
      worker.terminate?.();
      for (const p of this.pending.values()) p.reject(new OpfsError('WorkerError'));
      this.pending.clear();
    };
  }

  private answer(r: OpfsResponse): void {
    const p = this.pending.get(r.seq);
    if (!p) return;
    if (r.kind === 'progress') {
      p.onProgress?.(r.bytes);
      return;
    }
    this.pending.delete(r.seq);
    if (r.kind === 'done') p.resolve(r.sha256);
    else p.reject(new OpfsError(r.name));
  }

  request(op: OpfsOp, onProgress?: (bytes: number) => void): Promise<string | undefined> {
    if (this.dead) return Promise.reject(new OpfsError('WorkerError'));
    const seq = ++this.seq;
    const message: OpfsRequest = { ...op, seq };
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, onProgress });
      // Written data is handed over, not copied a second time.
      const transfer = op.op === 'write' ? [op.data.buffer as ArrayBuffer] : [];
      this.worker.postMessage(message, transfer);
    });
  }
}

let shared: OpfsClient | undefined;

/** The app's one OPFS worker, started on first use. */
export function opfs(): OpfsClient {
  // A dead worker is replaced on the next use (a crash, or a chunk that failed to load once).
  if (!shared || shared.dead) {
    shared = new OpfsClient(
      new Worker(new URL('./opfs-worker.ts', import.meta.url), { type: 'module' }),
    );
  }
  return shared;
}
