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
