// The `messages` store: the history of every chat, read per contact in time order through the
// [contact, timestamp] index.

import { db } from './open.ts';
import type { ContactRecord, MessageRecord, MessageState } from './schema.ts';
import { asContactRecord, asMessageRecord } from './validate.ts';

const PREVIEW_LENGTH = 80;
const STATE_ORDER: Readonly<Record<MessageState, number>> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/** The contact list's one-line preview: whitespace collapsed, cut at PREVIEW_LENGTH. */
export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}

/** Where a page ends: the oldest message already held. */
export interface PageCursor {
  readonly timestamp: number;
  readonly id: string;
}

/**
 * One page of a chat, oldest first: the `limit` newest messages older than `before` (default:
 * the newest). Messages with equal timestamps are ordered by id — the index breaks ties by
 * primary key — so paging neither skips nor repeats them.
 */
export async function listMessages(
  contact: string,
  limit: number,
  before?: PageCursor,
): Promise<MessageRecord[]> {
  const upper = before?.timestamp ?? Number.POSITIVE_INFINITY;
  const range = IDBKeyRange.bound([contact, Number.NEGATIVE_INFINITY], [contact, upper]);
  const tx = (await db()).transaction('messages');
  const page: MessageRecord[] = [];
  let cursor = await tx.store.index('by-contact-time').openCursor(range, 'prev');
  while (cursor && page.length < limit) {
    const m = asMessageRecord(cursor.value);
    const alreadyHeld = before && m && m.timestamp === before.timestamp && m.id >= before.id;
    if (m && !alreadyHeld) page.push(m);
    cursor = await cursor.continue();
  }
  await tx.done;
  return page.reverse();
}

export interface NewOutgoing {
  readonly contact: string;
  readonly text: string;
  readonly replyTo?: string;
  readonly now?: number;
}

/**
 * Stores an outgoing message as 'pending', queues it in the outbox and updates the contact's
 * last message — in one transaction, so a message is never in history without being queued.
 */
export async function queueOutgoing(input: NewOutgoing): Promise<MessageRecord> {
  const now = input.now ?? Date.now();
  const base = {
    id: crypto.randomUUID(),
    contact: input.contact,
    direction: 'out' as const,
    text: input.text,
    timestamp: now,
    state: 'pending' as const,
  };
  const message: MessageRecord =
    input.replyTo === undefined ? base : { ...base, replyTo: input.replyTo };
  const tx = (await db()).transaction(['messages', 'outbox', 'contacts'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const contact = asContactRecord(await contacts.get(input.contact));
  if (!contact) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error('no such contact');
  }
  await Promise.all([
    tx.objectStore('messages').add(message),
    tx.objectStore('outbox').add({ contact: input.contact, messageId: message.id, queuedAt: now }),
    contacts.put(withLastMessage(contact, message, 0)),
    tx.done,
  ]);
  return message;
}

/** Stores a message that arrived from `contact` and counts it as unread. */
export async function saveIncoming(message: MessageRecord): Promise<void> {
  const tx = (await db()).transaction(['messages', 'contacts'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const contact = asContactRecord(await contacts.get(message.contact));
  if (!contact) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error('no such contact');
  }
  await Promise.all([
    tx.objectStore('messages').put(message),
    contacts.put(withLastMessage(contact, message, 1)),
    tx.done,
  ]);
}

function withLastMessage(c: ContactRecord, m: MessageRecord, addUnread: number): ContactRecord {
  const newer = c.lastMessageAt === null || m.timestamp >= c.lastMessageAt;
  return {
    ...c,
    lastMessageAt: newer ? m.timestamp : c.lastMessageAt,
    lastMessagePreview: newer ? previewOf(m.text) : c.lastMessagePreview,
    unread: c.unread + addUnread,
  };
}

/**
 * Moves a message's state forward (pending → sent → delivered → read). A late or repeated
 * receipt never moves it back. Returns the stored record, or undefined if the message is gone.
 */
export async function advanceState(
  id: string,
  state: MessageState,
): Promise<MessageRecord | undefined> {
  const tx = (await db()).transaction('messages', 'readwrite');
  const current = asMessageRecord(await tx.store.get(id));
  if (!current) {
    await tx.done;
    return undefined;
  }
  if (STATE_ORDER[state] <= STATE_ORDER[current.state]) {
    await tx.done;
    return current;
  }
  const next: MessageRecord = { ...current, state };
  await tx.store.put(next);
  await tx.done;
  return next;
}
