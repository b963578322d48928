// What a Key object remembers about each of its sockets. The attachment survives hibernation
// (serializeAttachment), so it is the socket's whole state machine:
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

export function attachment(ws: WebSocket): Attachment | undefined {
  const a: unknown = ws.deserializeAttachment();
  return typeof a === 'object' && a !== null && 'state' in a ? (a as Attachment) : undefined;
}

export function setAttachment(ws: WebSocket, a: Attachment): void {
  try {
    ws.serializeAttachment(a);
  } catch {
    // The socket is already gone; its state no longer matters.
  }
}

/** This object's sockets in one state, with their attachments. */
export function socketsIn<S extends Attachment['state']>(
  ctx: DurableObjectState,
  state: S,
): { ws: WebSocket; att: AttachmentIn<S> }[] {
  const out: { ws: WebSocket; att: AttachmentIn<S> }[] = [];
  for (const ws of ctx.getWebSockets()) {
    const att = attachment(ws);
    if (att?.state === state) out.push({ ws, att: att as AttachmentIn<S> });
  }
  return out;
}

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

export function frameBytes(message: string | ArrayBuffer): number {
  return typeof message === 'string' ? utf8Length(message) : message.byteLength;
}
