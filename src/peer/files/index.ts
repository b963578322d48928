// The file-transfer engine's public surface (PROTOCOL.md §13).

export {
  bytesOf,
  chunkCount,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_TRANSFER_LIMITS,
  MAX_ACK_EVERY,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  newTransferId,
} from './constants.ts';
export { createRateEstimator, type RateEstimate, type RateEstimator } from './progress.ts';
export { createFileTransfers } from './transfers.ts';
export type * from './types.ts';
