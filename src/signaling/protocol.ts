// Signaling wire protocol v1 (docs/signaling.md): JSON text frames between the client and the
// signaling Worker. This file is shared by both sides (the Worker bundles it), so it must stay free
// of DOM, Node and Workers APIs. Everything from the network is `unknown` until a parser below
// accepts it.
// noble's byte helpers rather than src/crypto/bytes.ts: this file is also compiled against
// @cloudflare/workers-types, whose TextDecoder options type rejects bytes.ts.
import { concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { type ErrorCodeNumber, isErrorCode } from '../crypto/errors.ts';
import { isBase64 } from './base64.ts';

/** Domain-separation label of the registration signature (docs/signaling.md §Registration). */
export const REGISTER_LABEL = 'peerline-signaling/1/register';
export const CHALLENGE_BYTES = 32;
/** Largest accepted frame, in UTF-8 bytes of the whole JSON text. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Longest Origin accepted into the signed registration message. */
export const MAX_ORIGIN_BYTES = 512;
/** Client-chosen correlation id on `signal` / `ice_servers`, echoed in replies. */
const REF = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_HEX = /^[0-9a-f]{64}$/;
const CHALLENGE_HEX = /^[0-9a-f]{64}$/;
const SIG_HEX = /^[0-9a-f]{128}$/;

/** The exact ping frame: the Worker answers it without waking (hibernation auto-response). */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

/** WebSocket close codes the Worker uses (RFC 6455 §7.4.2 private range 4000–4999). */
export const CloseCode = {
  AUTH_FAILED: 4001,
  CHALLENGE_EXPIRED: 4002,
  BANNED: 4003,
  REPLACED: 4004,
  NOT_REGISTERED: 4005,
} as const;

export type ClientMessage =
  | { type: 'register'; key: string; timestamp: number; signature: string }
  | { type: 'signal'; to: string; payload: string; ref?: string }
  | { type: 'ice_servers'; ref?: string };

export type IceServer = { urls: string[]; username: string; credential: string };

export type ServerMessage =
  | { type: 'challenge'; challenge: string; expires_at: number }
  | { type: 'register_ok'; key: string; connections: number; queued: number }
  | { type: 'register_failed'; code: ErrorCodeNumber; message: string; close: number }
  | { type: 'signal'; from: string; payload: string; queued_at?: number }
  | { type: 'sent'; ref: string; status: 'delivered' }
  | { type: 'sent'; ref: string; status: 'queued'; expires_at: number }
  | { type: 'ice_servers'; ice_servers: IceServer[]; expires_at: number; ref?: string }
  | {
      type: 'error';
      code: ErrorCodeNumber;
      message: string;
      ref?: string;
      retry_after?: number;
      /** Present when the Worker is ending this connection: the WebSocket close code it uses. */
      close?: number;
    }
  | { type: 'pong' };

/** Parser outcome: the Worker answers `bad` with error 1000 (`ref` echoed when it was readable). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; ref?: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isKeyHex(v: unknown): v is string {
  return typeof v === 'string' && KEY_HEX.test(v);
}

function isRef(v: unknown): v is string {
  return typeof v === 'string' && REF.test(v);
}

function isTimestamp(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isCloseCode(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 4999;
}

function parseJson(text: string): Parsed<Obj> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  if (!isObj(v)) return { ok: false, reason: 'not a JSON object' };
  return { ok: true, value: v };
}

function bad<T>(reason: string, o?: Obj): Parsed<T> {
  const ref = o?.ref;
  return isRef(ref) ? { ok: false, reason, ref } : { ok: false, reason };
}

/** Client → Worker. Unknown fields are ignored; unknown types and bad fields are rejected. */
export function parseClientMessage(text: string): Parsed<ClientMessage> {
  const p = parseJson(text);
  if (!p.ok) return p;
  const o = p.value;
  if (o.ref !== undefined && !isRef(o.ref)) return bad('invalid ref');
  const ref = isRef(o.ref) ? { ref: o.ref } : {};
  switch (o.type) {
    case 'register':
      if (!isKeyHex(o.key)) return bad('invalid key', o);
      if (!isTimestamp(o.timestamp)) return bad('invalid timestamp', o);
      if (typeof o.signature !== 'string' || !SIG_HEX.test(o.signature)) {
        return bad('invalid signature field', o);
      }
      return {
        ok: true,
        value: { type: 'register', key: o.key, timestamp: o.timestamp, signature: o.signature },
      };
    case 'signal':
      if (!isKeyHex(o.to)) return bad('invalid to', o);
      if (typeof o.payload !== 'string' || o.payload.length === 0 || !isBase64(o.payload)) {
        return bad('payload must be non-empty base64', o);
      }
      return { ok: true, value: { type: 'signal', to: o.to, payload: o.payload, ...ref } };
    case 'ice_servers':
      return { ok: true, value: { type: 'ice_servers', ...ref } };
    default:
      return bad('unknown type', o);
  }
}

function isIceServer(v: unknown): v is IceServer {
  return (
    isObj(v) &&
    Array.isArray(v.urls) &&
    v.urls.every((u) => typeof u === 'string') &&
    typeof v.username === 'string' &&
    typeof v.credential === 'string'
  );
}

/** Worker → client. Anything unrecognised is rejected (the client reports it, never guesses). */
export function parseServerMessage(text: string): Parsed<ServerMessage> {
  const p = parseJson(text);
  if (!p.ok) return p;
  const o = p.value;
  const ref = isRef(o.ref) ? { ref: o.ref } : {};
  switch (o.type) {
    case 'challenge':
      if (typeof o.challenge !== 'string' || !CHALLENGE_HEX.test(o.challenge)) {
        return bad('invalid challenge');
      }
      if (!isTimestamp(o.expires_at)) return bad('invalid expires_at');
      return {
        ok: true,
        value: { type: 'challenge', challenge: o.challenge, expires_at: o.expires_at },
      };
    case 'register_ok':
      if (!isKeyHex(o.key) || !isTimestamp(o.connections) || !isTimestamp(o.queued)) {
        return bad('invalid register_ok');
      }
      return {
        ok: true,
        value: { type: 'register_ok', key: o.key, connections: o.connections, queued: o.queued },
      };
    case 'register_failed':
    case 'error': {
      if (!isErrorCode(o.code) || typeof o.message !== 'string') return bad(`invalid ${o.type}`);
      if (o.type === 'register_failed') {
        if (!isCloseCode(o.close)) return bad('invalid register_failed');
        return {
          ok: true,
          value: { type: 'register_failed', code: o.code, message: o.message, close: o.close },
        };
      }
      const retry = isTimestamp(o.retry_after) ? { retry_after: o.retry_after } : {};
      const close = isCloseCode(o.close) ? { close: o.close } : {};
      return {
        ok: true,
        value: { type: 'error', code: o.code, message: o.message, ...ref, ...retry, ...close },
      };
    }
    case 'signal': {
      if (!isKeyHex(o.from) || typeof o.payload !== 'string') return bad('invalid signal');
      const q = isTimestamp(o.queued_at) ? { queued_at: o.queued_at } : {};
      return { ok: true, value: { type: 'signal', from: o.from, payload: o.payload, ...q } };
    }
    case 'sent':
      if (!isRef(o.ref)) return bad('invalid sent');
      if (o.status === 'delivered') {
        return { ok: true, value: { type: 'sent', ref: o.ref, status: 'delivered' } };
      }
      if (o.status !== 'queued' || !isTimestamp(o.expires_at)) return bad('invalid sent');
      return {
        ok: true,
        value: { type: 'sent', ref: o.ref, status: 'queued', expires_at: o.expires_at },
      };
    case 'ice_servers':
      if (!Array.isArray(o.ice_servers) || !o.ice_servers.every(isIceServer)) {
        return bad('invalid ice_servers');
      }
      if (!isTimestamp(o.expires_at)) return bad('invalid expires_at');
      return {
        ok: true,
        value: {
          type: 'ice_servers',
          ice_servers: o.ice_servers,
          expires_at: o.expires_at,
          ...ref,
        },
      };
    case 'pong':
      return { ok: true, value: { type: 'pong' } };
    default:
      return bad('unknown type');
  }
}

/**
 * The bytes a client signs to register (docs/signaling.md §Registration):
 *   utf8(REGISTER_LABEL) ‖ 0x00 ‖ challenge[32] ‖ u16be(len(origin)) ‖ utf8(origin)
 *   ‖ u64be(timestamp_ms) ‖ key[32]
 * The origin is length-prefixed so no two (origin, timestamp) pairs share an encoding.
 * Returns undefined when an input is malformed (the caller maps it to its own error).
 */
export function registerSignedBytes(
  challengeHex: string,
  origin: string,
  timestampMs: number,
  keyHex: string,
): Uint8Array | undefined {
  const challenge = CHALLENGE_HEX.test(challengeHex) ? hexToBytes(challengeHex) : undefined;
  const key = KEY_HEX.test(keyHex) ? hexToBytes(keyHex) : undefined;
  const originBytes = utf8ToBytes(origin);
  if (!challenge || !key || originBytes.length > MAX_ORIGIN_BYTES || !isTimestamp(timestampMs)) {
    return undefined;
  }
  const lenAndTime = new Uint8Array(2 + originBytes.length + 8);
  const view = new DataView(lenAndTime.buffer);
  view.setUint16(0, originBytes.length);
  lenAndTime.set(originBytes, 2);
  view.setBigUint64(2 + originBytes.length, BigInt(timestampMs));
  return concatBytes(utf8ToBytes(REGISTER_LABEL), new Uint8Array([0]), challenge, lenAndTime, key);
}

/** UTF-8 byte length of a JS string without allocating (for the frame-size limit). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
