// The public shape of file transfer (PROTOCOL.md §13): what the app hands the engine (storage,
// limits) and what it gets back (records, progress, errors). Everything here is serialisable,
// so a record written to IndexedDB after a checkpoint is enough to resume after a reload.

import type { PeerlineError } from '../../crypto/errors.ts';
import type { Session } from '../session-types.ts';

/** 32 lowercase hex = 16 random bytes; also the BINARY frames' stream_id (PROTOCOL.md §3.3). */
export type TransferId = string;

/** The offer's payload (PROTOCOL.md §13.1), in the app's names. */
export interface FileMeta {
  readonly id: TransferId;
  /** 1–255 code points, no `/`, `\`, NUL or other control characters. */
  readonly name: string;
  /** Bytes, 0 ≤ size ≤ the receiver's maximum. */
  readonly size: number;
  /** `type/subtype` (≤ 127 chars) or '' when unknown. */
  readonly mime: string;
  /** SHA-256 of the whole file, 64 lowercase hex. */
  readonly sha256: string;
  /** Bytes per chunk; every chunk but the last has exactly this many. */
  readonly chunkSize: number;
}

export type TransferDirection = 'send' | 'receive';

/** Who paused: a transfer runs only when neither side has. */
export interface PauseState {
  readonly local: boolean;
  readonly remote: boolean;
}

/**
 * The life of one transfer. `offered`: sender waits for an answer / receiver waits for the user.
 * `active` covers "streaming now" and "waiting for the session to come back": progress says
 * which. Final: complete, declined, cancelled, failed (failed keeps the partial file; retry()
 * starts a new run from the last verified chunk or, after a hash mismatch, from 0).
 */
export type TransferStatus =
  | { readonly kind: 'offered' }
  | { readonly kind: 'active' }
  | { readonly kind: 'paused'; readonly by: 'local' | 'remote' | 'both' }
  | { readonly kind: 'verifying' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'declined'; readonly by: 'local' | 'remote' }
  | { readonly kind: 'cancelled'; readonly by: 'local' | 'remote'; readonly code: number }
  | { readonly kind: 'failed'; readonly code: number; readonly detail: string };

/** Serialised incremental SHA-256 (receiver): resumes hashing without re-reading the file. */
export interface HashSnapshot {
  /** The eight 32-bit state words. */
  readonly words: readonly number[];
  /** Bytes hashed so far. */
  readonly length: number;
  /** Bytes of the current, incomplete 64-byte block. */
  readonly pending: Uint8Array;
}

/** What survives a reload: one record per transfer, written at every checkpoint. */
export interface TransferRecord {
  readonly meta: FileMeta;
  /** Contact key (64 hex). */
  readonly contact: string;
  readonly direction: TransferDirection;
  readonly status: TransferStatus;
  /**
   * Receiver: chunks verified (written and hashed) — resume point. Sender: chunks the receiver
   * acknowledged (`file_ack`) — what progress shows.
   */
  readonly verified: number;
  /** Receiver only: hash state after `verified` chunks. */
  readonly hash?: HashSnapshot;
  readonly paused: PauseState;
  /**
   * The user deleted the file's data from this browser after it completed (removeFile). The
   * record stays: it still answers the peer (a late re-offer gets `file_done`) and the chat says
   * what happened.
   */
  readonly removed?: true;
  /** Envelope id of the offer message (the chat shows the transfer at this message). */
  readonly messageId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Read access to a file being sent. */
export interface FileSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset` (fewer only past the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Write access to a file being received. Writes may arrive again for the same offset (resume). */
export interface FileSink {
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Everything written so far is durable (a checkpoint follows). */
  flush(): Promise<void>;
  /** Drops bytes at and after `size` (restart after a hash mismatch). */
  truncate(size: number): Promise<void>;
  close(): Promise<void>;
}

/** The app's storage for transfers (IndexedDB records + OPFS files). */
export interface TransferStorage {
  save(record: TransferRecord): Promise<void>;
  openSource(id: TransferId): Promise<FileSource>;
  openSink(id: TransferId): Promise<FileSink>;
  /** Free bytes for a new incoming file (navigator.storage.estimate()); undefined = unknown. */
  available(): Promise<number | undefined>;
  /** Drops the file data (cancel, decline). The record stays, with its final status. */
  discard(id: TransferId): Promise<void>;
}

export interface TransferLimits {
  /** Largest file sent or accepted (bytes). */
  readonly maxFileSize: number;
  /** Sender: send while the channel buffers at most this many bytes… */
  readonly highWaterMark: number;
  /** …and continue when it has drained to this. */
  readonly lowWaterMark: number;
  /** Sender: at most this many bytes sent but not yet acknowledged by the receiver. */
  readonly window: number;
  /** Receiver: acknowledge (and checkpoint) at least every this many bytes. */
  readonly ackEvery: number;
}

export interface Progress {
  readonly id: TransferId;
  /** Bytes verified by the receiver (sender: acknowledged). */
  readonly bytes: number;
  readonly size: number;
}

export interface TransferEvents {
  /** A record changed (status, pause, checkpoint); the app persists nothing itself. */
  update: TransferRecord;
  /** Frequent, not persisted: for progress bars (at most every chunk). */
  progress: Progress;
  /** A typed error about one transfer (codes 3000–3008); the session is unaffected. */
  error: { readonly id: TransferId; readonly error: PeerlineError };
}

/** What createFileTransfers() needs (one engine per contact). */
export interface FileTransfersOptions {
  /** Contact key (64 hex); load() ignores records of other contacts. */
  readonly contact: string;
  readonly storage: TransferStorage;
  /** Defaults: DEFAULT_TRANSFER_LIMITS (constants.ts). */
  readonly limits?: Partial<TransferLimits>;
  /** Record timestamps (ms); default Date.now. */
  readonly now?: () => number;
}

/** Counters for diagnostics and tests. */
export interface TransferStats {
  /** Chunks dropped without error: old runs (awaiting file_start), finished transfers. */
  readonly droppedChunks: number;
  /** Chunks for no transfer or one never accepted (error 3002). */
  readonly unsolicitedChunks: number;
  /** Chunks dropped because the transfer's unwritten backlog was full (§13.4). */
  readonly overrunChunks: number;
}

/** One contact's transfers, across sessions. */
export interface FileTransfers {
  /** Restores records after a reload (before attach). */
  load(records: readonly TransferRecord[]): void;
  /** A session with this contact came up; returns detach (call when it goes). */
  attach(session: Session): () => void;
  /**
   * Stores the record and offers the file (now, or when a session comes up). The app has already
   * copied the file into its storage under `meta.id` (openSource must find it) and hashed it.
   */
  offer(meta: FileMeta): Promise<TransferRecord>;
  accept(id: TransferId): Promise<void>;
  decline(id: TransferId): Promise<void>;
  pause(id: TransferId): Promise<void>;
  resume(id: TransferId): Promise<void>;
  cancel(id: TransferId): Promise<void>;
  retry(id: TransferId): Promise<void>;
  /**
   * Deletes a complete transfer's file from storage (either side) and marks the record removed;
   * refused (1015) for any other status or a file already removed. Local only: nothing is sent.
   */
  removeFile(id: TransferId): Promise<void>;
  records(): readonly TransferRecord[];
  stats(): TransferStats;
  on<K extends keyof TransferEvents>(
    event: K,
    listener: (value: TransferEvents[K]) => void,
  ): () => void;
}
