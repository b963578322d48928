// The §13 messages as the engine sees them: FileMeta ↔ file_offer payload, and a guard that
// picks the file-transfer messages out of a session's message stream.

import { ErrorCode, PeerlineError } from '../../crypto/errors.ts';
import {
  type AppOutgoingMessage,
  type FileMessageType,
  type FileOfferPayload,
  MESSAGE_TYPES,
  type Message,
  type MessageOf,
} from '../message-types.ts';
import { parseMessage } from '../messages.ts';
import type { FileMeta } from './types.ts';

export type FileMessage = MessageOf<FileMessageType>;
export type FileOutgoing = Extract<AppOutgoingMessage, { type: FileMessageType }>;

const FILE_TYPES: ReadonlySet<string> = new Set(MESSAGE_TYPES.filter((t) => t.startsWith('file_')));

export function isFileMessage(m: Message): m is FileMessage {
  return FILE_TYPES.has(m.type);
}

export function offerPayload(meta: FileMeta): FileOfferPayload {
  return {
    id: meta.id,
    name: meta.name,
    size: meta.size,
    mime: meta.mime,
    sha256: meta.sha256,
    chunk_size: meta.chunkSize,
  };
}

export function metaOf(p: FileOfferPayload): FileMeta {
  return {
    id: p.id,
    name: p.name,
    size: p.size,
    mime: p.mime,
    sha256: p.sha256,
    chunkSize: p.chunk_size,
  };
}

/** INVALID_FORMAT unless `meta` would pass the peer's file_offer validator. */
export function checkMeta(meta: FileMeta): FileMeta {
  const r = parseMessage({
    id: meta.id,
    type: 'file_offer',
    timestamp: 0,
    payload: offerPayload(meta),
  });
  if (r.kind === 'valid' && r.message.type === 'file_offer') return metaOf(r.message.payload);
  throw r.kind === 'invalid'
    ? r.error
    : new PeerlineError(ErrorCode.INVALID_FORMAT, 'not a valid file offer');
}
