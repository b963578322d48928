// BINARY frame content (PROTOCOL.md §3.3): `stream_id (16) || index (u32, big-endian) || data`.
// Bulk data (file chunks) travels here instead of base64 inside JSON.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

export const STREAM_ID_LENGTH = 16;
export const BINARY_PREFIX_LENGTH = STREAM_ID_LENGTH + 4;

export interface BinaryChunk {
  readonly streamId: Uint8Array;
  readonly index: number;
  readonly data: Uint8Array;
}

export function encodeBinary(chunk: BinaryChunk): Uint8Array {
  const { streamId, index, data } = chunk;
  if (
    streamId.length !== STREAM_ID_LENGTH ||
    !Number.isInteger(index) ||
    index < 0 ||
    index > 0xffff_ffff
  ) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'bad stream id or index');
  }
  const content = new Uint8Array(BINARY_PREFIX_LENGTH + data.length);
  content.set(streamId, 0);
  new DataView(content.buffer).setUint32(STREAM_ID_LENGTH, index, false);
  content.set(data, BINARY_PREFIX_LENGTH);
  return content;
}

/** Copies out of `content`; INVALID_FORMAT (message-level) under 20 bytes. */
export function decodeBinary(content: Uint8Array): BinaryChunk {
  if (content.length < BINARY_PREFIX_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'binary content under 20 bytes');
  }
  const view = new DataView(content.buffer, content.byteOffset, content.length);
  return {
    streamId: content.slice(0, STREAM_ID_LENGTH),
    index: view.getUint32(STREAM_ID_LENGTH, false),
    data: content.slice(BINARY_PREFIX_LENGTH),
  };
}
