// What the peer sends us (PROTOCOL.md §13): each file message routed to its transfer by id and
// direction, new offers, BINARY chunks, and the answers to messages about unknown ids (3007).
// Runs inside the engine's serial queue, in the order the session delivered.

import { ErrorCode, isErrorCode, PeerlineError } from '../../crypto/errors.ts';
import { IncomingTransfer } from './receiver.ts';
import type { OutgoingTransfer } from './sender.ts';
import { NOT_PAUSED } from './status.ts';
import type { EngineContext, Transfer } from './transfer.ts';
import type { FileMeta, TransferRecord } from './types.ts';
import { type FileMessage, metaOf } from './wire.ts';

export interface Inbound {
  readonly ctx: EngineContext;
  readonly contact: string;
  readonly outgoing: Map<string, OutgoingTransfer>;
  readonly incoming: Map<string, IncomingTransfer>;
  readonly counters: { droppedChunks: number; unsolicitedChunks: number };
}

export function newRecord(
  ctx: EngineContext,
  contact: string,
  meta: FileMeta,
  direction: 'send' | 'receive',
  messageId: string,
): TransferRecord {
  const at = ctx.now();
  return {
    meta,
    contact,
    direction,
    status: { kind: 'offered' },
    verified: 0,
    paused: NOT_PAUSED,
    messageId,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * `current`: the message's session is still the attached one. A file_accept or file_start from
 * a session that has gone belongs to a run that ended with it (§13.3): acting on it would start
 * a run the new session's peer never asked for.
 */
export async function handleMessage(e: Inbound, m: FileMessage, current: boolean): Promise<void> {
  const id = m.payload.id;
  const out = e.outgoing.get(id);
  const inc = e.incoming.get(id);
  switch (m.type) {
    case 'file_offer':
      if (inc !== undefined) return inc.onReoffer();
      if (out === undefined) return newOffer(e, metaOf(m.payload), m.id);
      return;
    case 'file_accept':
      if (!current) return;
      return out ? out.onAccept(m.payload.from) : unknown(e, id);
    case 'file_decline':
      return out ? out.onDecline() : unknown(e, id);
    case 'file_ack':
      return out ? out.onAck(m.payload.next) : unknown(e, id);
    case 'file_done':
      return out ? out.onDone() : unknown(e, id);
    case 'file_start':
      if (!current) return;
      return inc ? inc.onStart(m.payload.from) : unknown(e, id);
    case 'file_pause':
    case 'file_resume': {
      const t = out ?? inc;
      return t ? t.onRemotePause(m.type === 'file_pause') : unknown(e, id);
    }
    case 'file_cancel': {
      // Never answered, even for an unknown id: two confused peers must not loop.
      const t: Transfer | undefined = out ?? inc;
      const code = m.payload.code;
      if (t !== undefined && (await t.cancelled('remote', code))) {
        t.error(isErrorCode(code) ? code : ErrorCode.FILE_CANCELLED, 'the contact cancelled');
      }
      return;
    }
  }
}

async function newOffer(e: Inbound, meta: FileMeta, messageId: string): Promise<void> {
  const t = new IncomingTransfer(e.ctx, newRecord(e.ctx, e.contact, meta, 'receive', messageId));
  e.incoming.set(meta.id, t);
  await e.ctx.storage.save(t.record);
  e.ctx.emit('update', t.record);
  if (meta.size > e.ctx.limits.maxFileSize) {
    // Refused on arrival, so the user never sees an offer they could not accept.
    await t.cancelled('local', ErrorCode.FILE_TOO_LARGE);
    send(e, { type: 'file_cancel', payload: { id: meta.id, code: 3000 } });
    t.error(ErrorCode.FILE_TOO_LARGE, 'offered file is over the maximum size');
  }
}

function send(e: Inbound, m: { type: 'file_cancel'; payload: { id: string; code: number } }) {
  e.ctx
    .session()
    ?.send(m)
    .catch(() => undefined);
}

/** A message about a transfer we do not have: tell the peer (3007) and report it. */
function unknown(e: Inbound, id: string): void {
  send(e, { type: 'file_cancel', payload: { id, code: ErrorCode.FILE_UNKNOWN } });
  const error = new PeerlineError(ErrorCode.FILE_UNKNOWN, 'message about no known transfer');
  e.ctx.emit('error', { id, error });
}

export async function handleChunk(
  e: Inbound,
  id: string,
  index: number,
  data: Uint8Array,
): Promise<void> {
  const t = e.incoming.get(id);
  if (t === undefined) {
    e.counters.unsolicitedChunks++;
    const error = new PeerlineError(ErrorCode.FILE_UNSOLICITED_DATA, 'chunk for no transfer');
    e.ctx.emit('error', { id, error });
    return;
  }
  const outcome = await t.onChunk(index, data);
  if (outcome === 'dropped') e.counters.droppedChunks++;
  else if (outcome === 'unsolicited') e.counters.unsolicitedChunks++;
}
