// Defaults and small arithmetic of file transfer (PROTOCOL.md §13): chunk layout, limits, ids.

import { fromHex, toHex } from '../../crypto/bytes.ts';
import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from '../messages.ts';
import type { FileMeta, TransferId, TransferLimits } from './types.ts';

export { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE };

/**
 * 1023 × 64: fits one BINARY frame at max_frame 65 535 (≤ 65 482 bytes of data, §3.3) and is a
 * multiple of the SHA-256 block, so a checkpoint at a chunk boundary has no pending hash bytes.
 */
export const DEFAULT_CHUNK_SIZE = 65_472;
const MiB = 1024 * 1024;
/** §13: a receiver acknowledges at least this often, so a sender window of twice it never stalls. */
export const MAX_ACK_EVERY = MiB;

/** §13.4: a sender keeps at most this much of one transfer unacknowledged. */
export const MAX_WINDOW = 16 * MiB;
/**
 * §13.4: a receiver holds at most this much of one transfer's chunks waiting to be written;
 * beyond it (only a sender ignoring MAX_WINDOW gets there) chunks are dropped.
 */
export const MAX_RECEIVE_BACKLOG = 2 * MAX_WINDOW;

export const DEFAULT_TRANSFER_LIMITS: TransferLimits = {
  maxFileSize: 16 * 1024 * MiB,
  highWaterMark: MiB,
  lowWaterMark: 256 * 1024,
  window: 16 * MiB,
  ackEvery: MiB,
};

/** Fills in defaults; RangeError on nonsense (a low-water mark above the high one, …). */
export function resolveTransferLimits(partial?: Partial<TransferLimits>): TransferLimits {
  const l = { ...DEFAULT_TRANSFER_LIMITS, ...partial };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`limit ${k} must be a uint`);
  }
  if (l.lowWaterMark > l.highWaterMark) throw new RangeError('lowWaterMark > highWaterMark');
  if (l.ackEvery < 1 || l.ackEvery > MAX_ACK_EVERY) throw new RangeError('ackEvery not 1..1 MiB');
  if (l.window < 1 || l.window > MAX_WINDOW) throw new RangeError('window not 1..16 MiB');
  return l;
}

/** 16 random bytes as 32 lowercase hex: the transfer id and the chunks' stream_id. */
export function newTransferId(): TransferId {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

export function streamIdOf(id: TransferId): Uint8Array {
  const bytes = fromHex(id);
  if (bytes === undefined || bytes.length !== 16) throw new RangeError('not a transfer id');
  return bytes;
}

/** n = ⌈size / chunk_size⌉; 0 for an empty file. */
export function chunkCount(meta: Pick<FileMeta, 'size' | 'chunkSize'>): number {
  return Math.ceil(meta.size / meta.chunkSize);
}

/** Chunk i covers [i·chunk_size, min(size, (i+1)·chunk_size)). */
export function chunkRange(
  meta: Pick<FileMeta, 'size' | 'chunkSize'>,
  index: number,
): { readonly offset: number; readonly length: number } {
  const offset = index * meta.chunkSize;
  return { offset, length: Math.max(0, Math.min(meta.size, offset + meta.chunkSize) - offset) };
}

/** Bytes covered by the first `chunks` chunks. */
export function bytesOf(meta: Pick<FileMeta, 'size' | 'chunkSize'>, chunks: number): number {
  return Math.min(meta.size, chunks * meta.chunkSize);
}
