// Receipts (seed 001, PROTOCOL.md §5 `receipt`) in storage: applying the peer's receipts to our
// outgoing messages, marking a chat read, and the receipts we still owe the peer.

import { db } from './open.ts';
import type { MessageRecord, MessageState, ReceiptDue } from './schema.ts';
import { asMessageRecord } from './validate.ts';

const STATE_ORDER: Readonly<Record<MessageState, number>> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/**
 * The peer received (or read) our messages `wireIds`: their state moves forward — never back —
 * and they leave the outbox. Ids that are not our messages in this chat are ignored. Returns the
 * records that changed.
 */
export async function applyReceipt(
  contact: string,
  status: 'delivered' | 'read',
  wireIds: readonly string[],
): Promise<MessageRecord[]> {
  const tx = (await db()).transaction(['messages', 'outbox'], 'readwrite');
  const messages = tx.objectStore('messages');
  const outbox = tx.objectStore('outbox');
  const changed: MessageRecord[] = [];
  for (const wireId of new Set(wireIds)) {
    const m = asMessageRecord(await messages.index('by-wire').get([contact, 'out', wireId]));
    if (!m) continue;
    const seq = await outbox.index('by-message').getKey(m.id);
    if (seq !== undefined) await outbox.delete(seq);
    if (STATE_ORDER[status] <= STATE_ORDER[m.state]) continue;
    const next: MessageRecord = { ...m, state: status };
    await messages.put(next);
    changed.push(next);
  }
  await tx.done;
  return changed;
}

/**
 * The user has seen the chat: every unread incoming message becomes 'read' and owes a 'read'
 * receipt. Reading marks everything older too, so the scan stops at the first read message.
 */
export async function markChatRead(contact: string): Promise<MessageRecord[]> {
  const tx = (await db()).transaction('messages', 'readwrite');
  const range = IDBKeyRange.bound(
    [contact, Number.NEGATIVE_INFINITY],
    [contact, Number.POSITIVE_INFINITY],
  );
  const changed: MessageRecord[] = [];
  let cursor = await tx.store.index('by-contact-time').openCursor(range, 'prev');
  while (cursor) {
    const m = asMessageRecord(cursor.value);
    if (m?.direction === 'in') {
      if (m.state === 'read') break;
      const next: MessageRecord = { ...m, state: 'read', receiptDue: 'read' };
      await cursor.update(next);
      changed.push(next);
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return changed.reverse();
}

export interface OwedReceipts {
  readonly status: ReceiptDue;
  /** Envelope ids for the receipt. */
  readonly wireIds: readonly string[];
  /** Local ids, to clear once the receipt is written to a session. */
  readonly ids: readonly string[];
}

/** Receipts owed to `contact`: 'delivered' ones first, then 'read'. */
export async function receiptsDue(contact: string): Promise<OwedReceipts[]> {
  const database = await db();
  const out: OwedReceipts[] = [];
  for (const status of ['delivered', 'read'] as const) {
    const raw = await database.getAllFromIndex('messages', 'by-receipt-due', [contact, status]);
    const wireIds: string[] = [];
    const ids: string[] = [];
    for (const r of raw) {
      const m = asMessageRecord(r);
      if (m?.wireId === undefined) continue;
      wireIds.push(m.wireId);
      ids.push(m.id);
    }
    if (ids.length > 0) out.push({ status, wireIds, ids });
  }
  return out;
}

/** The receipt went out: forget it, unless a later one ('read' after 'delivered') is now due. */
export async function clearReceiptsDue(ids: readonly string[], status: ReceiptDue): Promise<void> {
  const tx = (await db()).transaction('messages', 'readwrite');
  for (const id of ids) {
    const m = asMessageRecord(await tx.store.get(id));
    if (m?.receiptDue !== status) continue;
    const { receiptDue: _sent, ...rest } = m;
    await tx.store.put(rest);
  }
  await tx.done;
}
