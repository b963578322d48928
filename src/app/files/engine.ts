// The one place the app imports the transfer engine (src/peer/files) from: the rest of
// src/app/files codes against these names, so wiring a changed engine API is a change here.

import { ErrorCode, PeerlineError } from '../../crypto/errors.ts';
import type { ChatChannel } from '../../peer/chat-channel.ts';
import type { Session } from '../../peer/session-types.ts';

export {
  bytesOf,
  createFileTransfers,
  createRateEstimator,
  DEFAULT_CHUNK_SIZE,
  newTransferId,
  type RateEstimator,
} from '../../peer/files/index.ts';
export type {
  FileMeta,
  FileSink,
  FileSource,
  FileTransfers,
  Progress,
  TransferId,
  TransferRecord,
  TransferStatus,
  TransferStorage,
} from '../../peer/files/types.ts';

/** A failed OPFS operation as the typed error the bubble shows (3008 FILE_STORAGE_ERROR). */
export function storageError(detail: string, cause?: unknown): PeerlineError {
  return new PeerlineError(ErrorCode.FILE_STORAGE_ERROR, detail, { cause });
}

/** The browser's storage quota is used up (a copy or a write hit QuotaExceededError). */
export function quotaError(detail: string, cause?: unknown): PeerlineError {
  return new PeerlineError(ErrorCode.FILE_QUOTA_EXCEEDED, detail, { cause });
}

/** The session under a chat channel: the engine runs on it beside the chat. */
export function sessionOf(channel: ChatChannel): Session {
  return channel.session;
}
