// The `outbox` store: outgoing messages the peer has not confirmed yet, per contact in the order
// they were written. The transport sends them when a session is up; an entry leaves the outbox
// with the peer's 'delivered' receipt (receipts.ts), so nothing typed is lost across reloads or
// across a channel that died with frames in flight.

import { db } from './open.ts';
import type { MessageRecord, OutboxRecord } from './schema.ts';
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

/** Messages not yet written to any session (what the chat calls "waiting in the outbox"). */
export async function countOutbox(contact: string): Promise<number> {
  return (await listOutbox(contact)).filter((e) => e.sentIn === undefined).length;
}

export interface ToSend {
  readonly message: MessageRecord;
  /** Envelope id of the message it answers, when that one has been on the wire. */
  readonly replyToWire?: string;
}

/**
 * What a new session must send, in order: every entry not yet written to the session tagged
 * `session` (first sends, and resends of what an earlier session never confirmed).
 */
export async function outboxToSend(contact: string, session: string): Promise<ToSend[]> {
  const entries = (await listOutbox(contact)).filter((e) => e.sentIn !== session);
  const tx = (await db()).transaction('messages');
  const out: ToSend[] = [];
  for (const e of entries) {
    const message = asMessageRecord(await tx.store.get(e.messageId));
    if (!message) continue;
    const quoted =
      message.replyTo === undefined
        ? undefined
        : asMessageRecord(await tx.store.get(message.replyTo));
    out.push(quoted?.wireId === undefined ? { message } : { message, replyToWire: quoted.wireId });
  }
  await tx.done;
  return out;
}

/**
 * The message was written to session `session` under envelope id `wireId`: 'pending' becomes
 * 'sent', and the entry stays queued (tagged) until the peer's receipt — in one transaction.
 */
export async function markWritten(
  messageId: string,
  wireId: string,
  session: string,
): Promise<MessageRecord | undefined> {
  const tx = (await db()).transaction(['outbox', 'messages'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const messages = tx.objectStore('messages');
  const seq = await outbox.index('by-message').getKey(messageId);
  const entry = seq === undefined ? undefined : asOutboxRecord(await outbox.get(seq));
  const message = asMessageRecord(await messages.get(messageId));
  if (!message || !entry) {
    await tx.done;
    return undefined;
  }
  const next: MessageRecord = {
    ...message,
    wireId,
    state: message.state === 'pending' ? 'sent' : message.state,
  };
  await Promise.all([messages.put(next), outbox.put({ ...entry, sentIn: session }), tx.done]);
  return next;
}
