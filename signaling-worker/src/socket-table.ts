// The Key object's sockets with their attachments, kept in memory next to the serialized copy.
// The serialized attachment (serializeAttachment) is what survives hibernation; this table saves
// a getWebSockets() scan and one deserialization per socket on every routed signal. It is rebuilt
// from the runtime's list whenever the object wakes up in a fresh instance, and every state change
// goes through `set`, so the two copies never disagree.
import type { Attachment, AttachmentIn } from './sockets.ts';

function deserialize(ws: WebSocket): Attachment | undefined {
  try {
    const a: unknown = ws.deserializeAttachment();
    return typeof a === 'object' && a !== null && 'state' in a ? (a as Attachment) : undefined;
  } catch {
    return undefined;
  }
}

export class SocketTable {
  private table: Map<WebSocket, Attachment> | undefined;

  constructor(private readonly ctx: DurableObjectState) {}

  private all(): Map<WebSocket, Attachment> {
    if (!this.table) {
      const t = new Map<WebSocket, Attachment>();
      for (const ws of this.ctx.getWebSockets()) {
        const a = deserialize(ws);
        if (a) t.set(ws, a);
      }
      this.table = t;
    }
    return this.table;
  }

  get(ws: WebSocket): Attachment | undefined {
    const t = this.all();
    const known = t.get(ws);
    if (known) return known;
    // Accepted by another code path of this instance before the table existed: read it once.
    const a = deserialize(ws);
    if (a) t.set(ws, a);
    return a;
  }

  set(ws: WebSocket, a: Attachment): void {
    try {
      ws.serializeAttachment(a);
    } catch {
      // The socket is already gone; its state no longer matters beyond this instance.
    }
    this.all().set(ws, a);
  }

  /** The socket is finished (closed by both sides): nothing will ask about it again. */
  forget(ws: WebSocket): void {
    this.table?.delete(ws);
  }

  /** This object's sockets in one state, in acceptance order. */
  inState<S extends Attachment['state']>(state: S): { ws: WebSocket; att: AttachmentIn<S> }[] {
    const out: { ws: WebSocket; att: AttachmentIn<S> }[] = [];
    for (const [ws, att] of this.all()) {
      if (att.state === state) out.push({ ws, att: att as AttachmentIn<S> });
    }
    return out;
  }

  /** Registered sockets only, without building an array of pairs (the per-signal path). */
  registered(): WebSocket[] {
    const out: WebSocket[] = [];
    for (const [ws, att] of this.all()) if (att.state === 'registered') out.push(ws);
    return out;
  }

  /** Drops entries the runtime no longer lists (a socket that vanished without a close event). */
  reconcile(): void {
    if (!this.table) return;
    const live = new Set(this.ctx.getWebSockets());
    for (const ws of this.table.keys()) if (!live.has(ws)) this.table.delete(ws);
  }
}
