// The `outbox` store: outgoing messages not yet handed to a session, per contact in the order
// they were written. The transport drains it; until then entries survive reloads.

import { db } from './open.ts';
import type { OutboxRecord } from './schema.ts';
import { asMessageRecord, asOutboxRecord, keepValid } from './validate.ts';

function contactRange(contact: string): IDBKeyRange {
  return IDBKeyRange.bound(
    [contact, Number.NEGATIVE_INFINITY],
    [contact, Number.POSITIVE_INFINITY],
  );
}

/** The contact's queued messages, oldest first. */
export async function listOutbox(contact: string): Promise<OutboxRecord[]> {
  const raw = await (await db()).getAllFromIndex('outbox', 'by-contact-seq', contactRange(contact));
  return keepValid(raw, asOutboxRecord);
}

export async function countOutbox(contact: string): Promise<number> {
  return (await db()).countFromIndex('outbox', 'by-contact-seq', contactRange(contact));
}

/**
 * Takes a message out of the outbox and marks it 'sent' in one transaction, so a message is
 * either still queued or recorded as sent — never both, never neither.
 */
export async function markSent(messageId: string): Promise<void> {
  const tx = (await db()).transaction(['outbox', 'messages'], 'readwrite');
  const seq = await tx.objectStore('outbox').index('by-message').getKey(messageId);
  const messages = tx.objectStore('messages');
  const message = asMessageRecord(await messages.get(messageId));
  const work: Promise<unknown>[] = [];
  if (seq !== undefined) work.push(tx.objectStore('outbox').delete(seq));
  if (message?.state === 'pending') work.push(messages.put({ ...message, state: 'sent' }));
  await Promise.all([...work, tx.done]);
}
