// Validation and encoding of the message envelope (PROTOCOL.md §5): one validator per type,
// `unknown` in, typed value out. The parser never throws: a malformed message is an ordinary
// outcome (error 1000, session stays up), so it is a result, not an exception.

import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { isMessageId } from './ids.ts';
import type {
  EnvelopeExtras,
  Message,
  MessageType,
  OutgoingMessage,
  PayloadByType,
} from './message-types.ts';

export type ParseResult =
  | { readonly kind: 'valid'; readonly message: Message }
  | { readonly kind: 'unknown'; readonly type: string; readonly id: string }
  | {
      readonly kind: 'invalid';
      readonly error: PeerlineError;
      /** The message's id and type when readable: the reply's `ref`, and loop prevention. */
      readonly ref?: string;
      readonly type?: string;
    };

type Json = Record<string, unknown>;

const MAX_IDS_PER_RECEIPT = 256;
const MAX_TEXT_BYTES = 65_536;

function invalid(detail: string): never {
  throw new PeerlineError(ErrorCode.INVALID_FORMAT, detail);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A lone surrogate (possible via a JSON "\ud800" escape) is not Unicode text: reject it, as the
// spec rejects invalid UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

function str(v: unknown, field: string, maxCodePoints: number): string {
  if (typeof v !== 'string' || LONE_SURROGATE.test(v)) invalid(`${field} must be a string`);
  // Cheap bound first: a code point is 1 or 2 UTF-16 units.
  if (v.length > 2 * maxCodePoints || [...v].length > maxCodePoints) invalid(`${field} too long`);
  return v;
}

function optStr(v: unknown, field: string, max: number): string | undefined {
  return v === undefined ? undefined : str(v, field, max);
}

/** Non-negative safe integer: ms timestamps, counters. */
function uint(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) invalid(`${field} not a uint`);
  return v;
}

function int(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) invalid(`${field} not an integer`);
  return v;
}

function id(v: unknown, field: string): string {
  if (!isMessageId(v)) invalid(`${field} is not a message id`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  const found = allowed.find((a) => a === v);
  if (found === undefined) invalid(`${field} has an unknown value`);
  return found;
}

/** Copies only present optional fields: exactOptionalPropertyTypes forbids `key: undefined`. */
function withOptional<T extends object>(base: T, extras: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(extras)) if (v !== undefined) out[k] = v;
  return out as T;
}

// §13 file transfer rules.
const HEX64 = /^[0-9a-f]{64}$/;
// RFC 6838 restricted-name characters; parameters (`;charset=…`) are not allowed.
const MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
// A file name must not be a path, nor carry control characters (C0 and DEL).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what we reject
const BAD_NAME_CHAR = /[/\\\u0000-\u001f\u007f]/;
export const MIN_CHUNK_SIZE = 1024;
/** The data of one BINARY frame at max_frame 65 535 (§3.3). */
export const MAX_CHUNK_SIZE = 65_482;
const MAX_CHUNKS = 2 ** 32;

function fileName(v: unknown): string {
  const name = str(v, 'name', 255);
  if (name.length === 0 || BAD_NAME_CHAR.test(name)) invalid('bad file name');
  return name;
}

function offer(p: Json): PayloadByType['file_offer'] {
  const chunkSize = uint(p.chunk_size, 'chunk_size');
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) invalid('chunk_size out of range');
  const size = uint(p.size, 'size');
  if (Math.ceil(size / chunkSize) > MAX_CHUNKS) invalid('too many chunks');
  const mime = str(p.mime, 'mime', 127);
  if (mime !== '' && !MIME.test(mime)) invalid('bad mime type');
  if (typeof p.sha256 !== 'string' || !HEX64.test(p.sha256)) invalid('sha256 not 64 hex');
  return {
    id: id(p.id, 'id'),
    name: fileName(p.name),
    size,
    mime,
    sha256: p.sha256,
    chunk_size: chunkSize,
  };
}

const fileId = (p: Json) => ({ id: id(p.id, 'id') });
const fileFrom = (p: Json) => ({ id: id(p.id, 'id'), from: uint(p.from, 'from') });

type Validators = { readonly [T in MessageType]: (p: Json) => PayloadByType[T] };

const VALIDATORS: Validators = {
  hello: (p) =>
    withOptional({}, { name: optStr(p.name, 'name', 64), agent: optStr(p.agent, 'agent', 64) }),
  text: (p) => {
    if (typeof p.text !== 'string' || LONE_SURROGATE.test(p.text)) invalid('text not a string');
    const bytes = utf8(p.text).length;
    if (bytes < 1 || bytes > MAX_TEXT_BYTES) invalid('text must be 1..65536 UTF-8 bytes');
    return { text: p.text };
  },
  receipt: (p) => {
    const ids = p.ids;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_IDS_PER_RECEIPT) {
      invalid('receipt ids must be a list of 1..256 ids');
    }
    return {
      status: oneOf(p.status, ['delivered', 'read'] as const, 'status'),
      ids: ids.map((x: unknown) => id(x, 'ids[]')),
    };
  },
  typing: (p) => {
    if (typeof p.typing !== 'boolean') invalid('typing must be a boolean');
    return { typing: p.typing };
  },
  presence: (p) =>
    withOptional(
      { status: oneOf(p.status, ['online', 'away', 'busy', 'offline'] as const, 'status') },
      {
        text: optStr(p.text, 'text', 140),
        last_seen: p.last_seen === undefined ? undefined : uint(p.last_seen, 'last_seen'),
      },
    ),
  ping: (p) => ({ seq: uint(p.seq, 'seq') }),
  pong: (p) => ({ seq: uint(p.seq, 'seq') }),
  close: (p) => ({ code: int(p.code, 'code'), reason: str(p.reason, 'reason', 256) }),
  error: (p) =>
    withOptional(
      { code: int(p.code, 'code'), detail: str(p.detail, 'detail', 256) },
      { ref: p.ref === undefined ? undefined : id(p.ref, 'ref') },
    ),
  rekey: () => ({}),
  rehandshake: () => ({}),
  file_offer: offer,
  file_accept: fileFrom,
  file_decline: fileId,
  file_ack: (p) => {
    const next = uint(p.next, 'next');
    if (next < 1) invalid('next must be at least 1');
    return { id: id(p.id, 'id'), next };
  },
  file_pause: fileId,
  file_resume: fileId,
  file_cancel: (p) => {
    const code = int(p.code, 'code');
    if (code < 3000 || code > 3999) invalid('file_cancel code not in 3000–3999');
    return withOptional({ id: id(p.id, 'id'), code }, { reason: optStr(p.reason, 'reason', 256) });
  },
  file_done: fileId,
  file_start: fileFrom,
};

function isKnownType(t: string): t is MessageType {
  return Object.hasOwn(VALIDATORS, t);
}

function validatePayload<T extends MessageType>(type: T, payload: Json): PayloadByType[T] {
  const validator: (p: Json) => PayloadByType[T] = VALIDATORS[type];
  return validator(payload);
}

function validateExtras(v: Json): EnvelopeExtras {
  return withOptional<EnvelopeExtras>(
    {},
    {
      reply_to: v.reply_to === undefined ? undefined : id(v.reply_to, 'reply_to'),
      thread_id: optStr(v.thread_id, 'thread_id', 64),
      expires_at: v.expires_at === undefined ? undefined : uint(v.expires_at, 'expires_at'),
    },
  );
}

function parseStrict(value: unknown): ParseResult {
  if (!isObject(value)) invalid('envelope is not an object');
  const msgId = id(value.id, 'id');
  if (typeof value.type !== 'string') invalid('type is not a string');
  const timestamp = uint(value.timestamp, 'timestamp');
  if (!isObject(value.payload)) invalid('payload is not an object');
  const extras = validateExtras(value);
  const type = value.type;
  if (!isKnownType(type)) return { kind: 'unknown', type: type.slice(0, 64), id: msgId };
  const message = {
    ...extras,
    id: msgId,
    type,
    timestamp,
    payload: validatePayload(type, value.payload),
  } as Message; // the validator for `type` produced PayloadByType[type]; TS cannot correlate them
  return { kind: 'valid', message };
}

/** Validates a decoded JSON value. Never throws. */
export function parseMessage(value: unknown): ParseResult {
  try {
    return parseStrict(value);
  } catch (e) {
    const error =
      e instanceof PeerlineError ? e : new PeerlineError(ErrorCode.INVALID_FORMAT, 'bad message');
    const ref = isObject(value) && isMessageId(value.id) ? value.id : undefined;
    const type =
      isObject(value) && typeof value.type === 'string' ? value.type.slice(0, 64) : undefined;
    return {
      kind: 'invalid',
      error,
      ...(ref === undefined ? {} : { ref }),
      ...(type === undefined ? {} : { type }),
    };
  }
}

/** Strict UTF-8, then JSON, then the validators. Never throws. */
export function parseMessageBytes(content: Uint8Array): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(content));
  } catch {
    return {
      kind: 'invalid',
      error: new PeerlineError(ErrorCode.INVALID_FORMAT, 'message is not UTF-8 JSON'),
    };
  }
  return parseMessage(value);
}

/** Builds the envelope for an outgoing message; rejects (1000) what the peer would reject. */
export function buildMessage(draft: OutgoingMessage, msgId: string, timestamp: number): Message {
  const result = parseMessage({ ...draft, id: msgId, timestamp });
  if (result.kind === 'valid') return result.message;
  if (result.kind === 'invalid') throw result.error;
  throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'unknown message type');
}

export function encodeMessage(message: Message): Uint8Array {
  return utf8(JSON.stringify(message));
}
