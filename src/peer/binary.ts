// BINARY frame content (PROTOCOL.md §3.3): `stream_id (16) || index (u32, big-endian) || data`.
// Bulk data (file chunks) travels here instead of base64 inside JSON. The send path writes the
// content straight into the frame's padded-plaintext buffer (writeBinary) and the receive path
// hands out views (decodeBinary): a 64 KiB chunk is never copied by this module.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

export const STREAM_ID_LENGTH = 16;
export const BINARY_PREFIX_LENGTH = STREAM_ID_LENGTH + 4;

export interface BinaryChunk {
  readonly streamId: Uint8Array;
  readonly index: number;
  readonly data: Uint8Array;
}

/** INVALID_FORMAT unless the stream id is 16 bytes and the index a u32. */
export function checkBinaryChunk(chunk: BinaryChunk): void {
  const { streamId, index } = chunk;
  if (
    streamId.length !== STREAM_ID_LENGTH ||
    !Number.isInteger(index) ||
    index < 0 ||
    index > 0xffff_ffff
  ) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'bad stream id or index');
  }
}

/** Content length of a chunk: prefix plus data. */
export function binaryContentLength(chunk: BinaryChunk): number {
  return BINARY_PREFIX_LENGTH + chunk.data.length;
}

/**
 * Writes the content of a chunk that passed checkBinaryChunk into `dst[0 ..
 * binaryContentLength)`; `dst` may be longer (the padding follows).
 */
export function writeBinary(dst: Uint8Array, chunk: BinaryChunk): void {
  const { streamId, index, data } = chunk;
  dst.set(streamId, 0);
  dst[STREAM_ID_LENGTH] = index >>> 24;
  dst[STREAM_ID_LENGTH + 1] = (index >>> 16) & 0xff;
  dst[STREAM_ID_LENGTH + 2] = (index >>> 8) & 0xff;
  dst[STREAM_ID_LENGTH + 3] = index & 0xff;
  dst.set(data, BINARY_PREFIX_LENGTH);
}

/** A checked chunk as frame content that writes itself into the padded plaintext. */
export class BinaryContent {
  readonly length: number;
  constructor(private readonly chunk: BinaryChunk) {
    checkBinaryChunk(chunk);
    this.length = binaryContentLength(chunk);
  }
  write(dst: Uint8Array): void {
    writeBinary(dst, this.chunk);
  }
}

/** A fresh buffer holding exactly the content of `chunk` (tests and the reference encoder). */
export function encodeBinary(chunk: BinaryChunk): Uint8Array {
  checkBinaryChunk(chunk);
  const content = new Uint8Array(binaryContentLength(chunk));
  writeBinary(content, chunk);
  return content;
}

/**
 * Views into `content`, no copy: `streamId` and `data` share its buffer, so a consumer that
 * reads `data.buffer` as a whole sees the prefix and padding around it (use byteOffset and
 * byteLength, or copy). The session passes the fresh plaintext buffer of one frame, which
 * nothing else holds. INVALID_FORMAT (message-level) under 20 bytes.
 */
export function decodeBinary(content: Uint8Array): BinaryChunk {
  if (content.length < BINARY_PREFIX_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'binary content under 20 bytes');
  }
  const i = STREAM_ID_LENGTH;
  const index =
    (((content[i] ?? 0) << 24) |
      ((content[i + 1] ?? 0) << 16) |
      ((content[i + 2] ?? 0) << 8) |
      (content[i + 3] ?? 0)) >>>
    0;
  return {
    streamId: content.subarray(0, STREAM_ID_LENGTH),
    index,
    data: content.subarray(BINARY_PREFIX_LENGTH),
  };
}
