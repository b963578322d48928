// The transfers as the UI sees them: the engine's records, live progress (throttled), the
// sender's "Preparing" copy and the last error, per transfer id. Only registry.ts and
// actions.ts write here.

import { createStore, produce } from 'solid-js/store';
import { bytesOf, type TransferId, type TransferRecord } from './engine.ts';

export interface ProgressView {
  readonly bytes: number;
  readonly size: number;
  /** Bytes per second, when known. */
  readonly rate?: number;
  /** Seconds left, when known. */
  readonly eta?: number;
}

/** The sender copying a picked file into storage before offering it. */
export type Preparing =
  | {
      readonly kind: 'copying';
      readonly bytes: number;
      readonly size: number;
      /** False while it waits behind the copies of earlier files (they run one at a time). */
      readonly started: boolean;
    }
  | { readonly kind: 'failed'; readonly code: number; readonly detail: string };

export interface ShownError {
  readonly code: number;
  readonly detail: string;
}

export interface TransferEntry {
  readonly record?: TransferRecord;
  readonly progress?: ProgressView;
  readonly preparing?: Preparing;
  readonly error?: ShownError;
}

const [entries, setEntries] = createStore<Record<TransferId, TransferEntry>>({});

export function transferEntry(id: TransferId): TransferEntry | undefined {
  return entries[id];
}

/**
 * Bytes already promised to storage but not yet written, over every contact: the rest of each
 * incoming transfer that is running or paused, and the rest of each copy being prepared. The
 * browser's estimate counts only what is on disk, so without this two large files accepted at
 * once would each pass the quota check and the second fail part-way. Chunks written since the
 * last checkpoint count twice (on disk and still owed): the error is on the safe side. Copies
 * still waiting their turn are not counted: each is checked when it starts. `except` leaves one
 * out (the transfer whose own check this is).
 */
export function promisedBytes(except?: TransferId): number {
  let total = 0;
  for (const [id, e] of Object.entries(entries)) {
    if (id === except) continue;
    const r = e.record;
    if (r?.direction === 'receive' && (r.status.kind === 'active' || r.status.kind === 'paused')) {
      total += r.meta.size - bytesOf(r.meta, r.verified);
    } else if (e.preparing?.kind === 'copying' && e.preparing.started) {
      total += Math.max(0, e.preparing.size - e.preparing.bytes);
    }
  }
  return total;
}

type Draft = { -readonly [K in keyof TransferEntry]: TransferEntry[K] };

function patch(id: TransferId, change: (e: Draft) => void): void {
  setEntries(
    produce((all) => {
      const existing = all[id] as Draft | undefined;
      const e: Draft = existing ?? {};
      change(e);
      if (!existing) all[id] = e;
    }),
  );
}

export function setRecord(record: TransferRecord): void {
  patch(record.meta.id, (e) => {
    // A transfer that moved on is past its last problem.
    if (e.record?.status.kind !== record.status.kind && record.status.kind === 'active') {
      delete e.error;
    }
    e.record = record;
    delete e.preparing;
    // Live numbers belong to a running transfer; otherwise the record's checkpoint is the truth.
    if (record.status.kind !== 'active') delete e.progress;
  });
}

export function setProgress(id: TransferId, progress: ProgressView): void {
  patch(id, (e) => {
    e.progress = progress;
  });
}

export function setPreparing(id: TransferId, preparing: Preparing): void {
  patch(id, (e) => {
    e.preparing = preparing;
  });
}

export function setError(id: TransferId, error: ShownError | undefined): void {
  patch(id, (e) => {
    if (error) e.error = error;
    else delete e.error;
  });
}

/** Forgets transfers (their chat was deleted); all of them when `ids` is omitted. */
export function dropEntries(ids?: readonly TransferId[]): void {
  setEntries(
    produce((all) => {
      for (const id of ids ?? Object.keys(all)) delete all[id];
    }),
  );
}
