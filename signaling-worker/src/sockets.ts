// What a Key object remembers about each of its sockets. The attachment survives hibernation
// (serializeAttachment; socket-table.ts keeps the in-memory copy), so it is the socket's whole
// state machine:
//   challenged → registered → closed      or      challenged → closed
import type { ServerMessage } from '../../src/signaling/protocol.ts';
import { utf8Length } from '../../src/signaling/protocol.ts';

interface Common {
  key: string;
  ip: string;
  origin: string;
}

/** A server-side close still owed to a kicked socket (see KeyObject.end). */
export interface OwedClose {
  at: number;
  code: number;
  reason: string;
}

export type Attachment =
  | (Common & { state: 'challenged'; challenge: string; expiresAt: number; openedAt: number })
  | (Common & { state: 'registered'; registeredAt: number; seq: number })
  | (Common & { state: 'closed'; owed: OwedClose | null });

export type AttachmentIn<S extends Attachment['state']> = Extract<Attachment, { state: S }>;

/** Sends a protocol message; a socket that is already closing just misses it. */
export function sendMessage(ws: WebSocket, msg: ServerMessage): void {
  sendFrame(ws, JSON.stringify(msg));
}

export function sendFrame(ws: WebSocket, frame: string): void {
  try {
    ws.send(frame);
  } catch {
    // Closed underneath us: the close handler does the bookkeeping.
  }
}

/** RFC 6455 §5.5.1: a close reason is at most 123 bytes of UTF-8. */
export function closeReason(reason: string): string {
  let r = reason;
  while (utf8Length(r) > 123) r = r.slice(0, -1);
  return r;
}

export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, closeReason(reason));
  } catch {
    // Already closed.
  }
}

/**
 * Whether a frame exceeds `limit` UTF-8 bytes, exactly. A UTF-16 code unit is 1 to 3 bytes (a
 * surrogate pair 4 for its 2 units), so most frames are settled by their length alone and only
 * those in between are counted byte by byte.
 */
export function frameTooLarge(message: string | ArrayBuffer, limit: number): boolean {
  if (typeof message !== 'string') return message.byteLength > limit;
  if (message.length > limit) return true;
  if (message.length * 3 <= limit) return false;
  return utf8Length(message) > limit;
}

/**
 * The `signal` frame a recipient gets, byte for byte what JSON.stringify({type, from, payload})
 * gives: `from` is an authenticated 64-hex key and `payload` passed the base64 check, so neither
 * holds a character JSON would escape, and the frame is built without a serialization pass.
 */
export function signalFrame(from: string, payload: string): string {
  return `{"type":"signal","from":"${from}","payload":"${payload}"}`;
}
