// The `messages` store: the history of every chat, read per contact in time order through the
// [contact, timestamp] index.

import { newMessageId } from '../peer/ids.ts';
import { db } from './open.ts';
import type { ContactRecord, MessageRecord } from './schema.ts';
import { asContactRecord, asMessageRecord } from './validate.ts';

const PREVIEW_LENGTH = 80;

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
 * History is ordered by timestamp, so within a chat each new message gets a later one than the
 * last, even within the same millisecond or with a clock set back: arrival order is kept.
 */
function nextTimestamp(c: ContactRecord, now: number): number {
  return c.lastMessageAt === null ? now : Math.max(now, c.lastMessageAt + 1);
}

/**
 * Stores an outgoing message as 'pending', queues it in the outbox and updates the contact's
 * last message — in one transaction, so a message is never in history without being queued.
 */
export async function queueOutgoing(input: NewOutgoing): Promise<MessageRecord> {
  const tx = (await db()).transaction(['messages', 'outbox', 'contacts'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const contact = asContactRecord(await contacts.get(input.contact));
  if (!contact) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error('no such contact');
  }
  const now = nextTimestamp(contact, input.now ?? Date.now());
  const base: MessageRecord = {
    id: newMessageId(),
    contact: input.contact,
    direction: 'out',
    text: input.text,
    timestamp: now,
    state: 'pending',
  };
  const message: MessageRecord =
    input.replyTo === undefined ? base : { ...base, replyTo: input.replyTo };
  await Promise.all([
    tx.objectStore('messages').add(message),
    tx.objectStore('outbox').add({ contact: input.contact, messageId: message.id, queuedAt: now }),
    contacts.put(withLastMessage(contact, message, 0)),
    tx.done,
  ]);
  return message;
}

export interface Incoming {
  readonly contact: string;
  /** The sender's envelope id. */
  readonly wireId: string;
  readonly text: string;
  /** The sender's envelope id of the message it answers, if any. */
  readonly replyToWire?: string;
  readonly now?: number;
}

export type SaveResult =
  | { readonly kind: 'new'; readonly message: MessageRecord }
  /** Already stored (the sender sent it again): nothing changed, but it deserves a receipt. */
  | { readonly kind: 'duplicate'; readonly message: MessageRecord };

/**
 * Stores a message that arrived from `contact`, unread and owed a 'delivered' receipt, unless
 * one with the same envelope id from this contact is already stored.
 */
export async function saveIncoming(input: Incoming): Promise<SaveResult> {
  const tx = (await db()).transaction(['messages', 'contacts'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const messages = tx.objectStore('messages');
  const byWire = messages.index('by-wire');
  const [contact, existing] = await Promise.all([
    contacts.get(input.contact).then(asContactRecord),
    byWire.get([input.contact, 'in', input.wireId]).then(asMessageRecord),
  ]);
  if (existing) {
    // Sent again because our receipt never reached the sender: owe it once more.
    const owed: MessageRecord =
      existing.receiptDue === undefined
        ? { ...existing, receiptDue: existing.state === 'read' ? 'read' : 'delivered' }
        : existing;
    await Promise.all([messages.put(owed), tx.done]);
    return { kind: 'duplicate', message: owed };
  }
  if (!contact) {
    await tx.done;
    throw new Error('no such contact');
  }
  let replyTo: string | undefined;
  if (input.replyToWire !== undefined) {
    // Replies name messages by envelope id; ours or theirs, always within this chat.
    const [mine, theirs] = await Promise.all([
      byWire.getKey([input.contact, 'out', input.replyToWire]),
      byWire.getKey([input.contact, 'in', input.replyToWire]),
    ]);
    replyTo = mine ?? theirs;
  }
  const base: MessageRecord = {
    id: newMessageId(),
    contact: input.contact,
    direction: 'in',
    text: input.text,
    timestamp: nextTimestamp(contact, input.now ?? Date.now()),
    state: 'delivered',
    wireId: input.wireId,
    receiptDue: 'delivered',
  };
  const message = replyTo === undefined ? base : { ...base, replyTo };
  await Promise.all([
    messages.put(message),
    contacts.put(withLastMessage(contact, message, 1)),
    tx.done,
  ]);
  return { kind: 'new', message };
}

/** What the contact list shows for a message: its text, or "File: name" for a file. */
export function previewOfMessage(m: Pick<MessageRecord, 'text' | 'file'>): string {
  return previewOf(m.file === undefined ? m.text : `File: ${m.text}`);
}

function withLastMessage(c: ContactRecord, m: MessageRecord, addUnread: number): ContactRecord {
  const newer = c.lastMessageAt === null || m.timestamp >= c.lastMessageAt;
  return {
    ...c,
    lastMessageAt: newer ? m.timestamp : c.lastMessageAt,
    lastMessagePreview: newer ? previewOfMessage(m) : c.lastMessagePreview,
    unread: c.unread + addUnread,
  };
}

export interface NewFileMessage {
  readonly contact: string;
  readonly direction: MessageRecord['direction'];
  /** The transfer id; `name` (the file's) becomes the text, for previews and search. */
  readonly file: string;
  readonly name: string;
  /** Incoming: the offer's envelope id (re-offers keep it, so it finds duplicates too). */
  readonly wireId?: string;
  readonly now?: number;
}

/**
 * Stores the chat message of a file transfer. Outgoing: 'sent' at once — the transfer engine,
 * not the outbox, carries the offer, and the bubble shows the transfer's own status. Incoming:
 * unread and owed a 'delivered' receipt like a text, unless already stored under `wireId`.
 */
export async function saveFileMessage(input: NewFileMessage): Promise<SaveResult> {
  const tx = (await db()).transaction(['messages', 'contacts'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const messages = tx.objectStore('messages');
  const incoming = input.direction === 'in';
  const key: [string, string, string] = [input.contact, input.direction, input.wireId ?? ''];
  const [contact, existing] = await Promise.all([
    contacts.get(input.contact).then(asContactRecord),
    input.wireId === undefined
      ? undefined
      : messages.index('by-wire').get(key).then(asMessageRecord),
  ]);
  if (existing || !contact) {
    await tx.done;
    if (existing) return { kind: 'duplicate', message: existing };
    throw new Error('no such contact');
  }
  const message: MessageRecord = {
    id: newMessageId(),
    contact: input.contact,
    direction: input.direction,
    text: input.name,
    timestamp: nextTimestamp(contact, input.now ?? Date.now()),
    state: incoming ? 'delivered' : 'sent',
    file: input.file,
    ...(input.wireId === undefined ? {} : { wireId: input.wireId }),
    ...(incoming ? { receiptDue: 'delivered' as const } : {}),
  };
  const contactNext = withLastMessage(contact, message, incoming ? 1 : 0);
  await Promise.all([messages.put(message), contacts.put(contactNext), tx.done]);
  return { kind: 'new', message };
}

/** The outgoing file message's offer got its envelope id: receipts find the message by it. */
export async function setMessageWireId(
  id: string,
  wireId: string,
): Promise<MessageRecord | undefined> {
  const tx = (await db()).transaction('messages', 'readwrite');
  const m = asMessageRecord(await tx.store.get(id));
  const next: MessageRecord | undefined = m && m.wireId !== wireId ? { ...m, wireId } : undefined;
  await Promise.all([next ? tx.store.put(next) : undefined, tx.done]);
  return next ?? m;
}

/**
 * Text as search compares it: NFKC folds compatibility forms (full-width letters, ligatures,
 * superscripts) into their plain equivalents, then a locale-aware lower case. Both the query and
 * every message go through this, so "ＡＢＣ", "abc" and "ABC" all find each other.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase();
}

/** The most matches one search returns: a bound on work and on what the screen lists. */
export const SEARCH_LIMIT = 200;

export interface SearchResult {
  /** Matches, newest first. */
  readonly matches: readonly MessageRecord[];
  /** True when the search stopped at the limit: older matches may exist. */
  readonly capped: boolean;
}

/**
 * Messages of one chat whose text contains `query` (after foldForSearch), newest first. Walks the
 * [contact, timestamp] index backwards with a cursor rather than keeping a full-text index: a
 * chat is small enough to scan, and an index would hold a second copy of every plaintext.
 */
export async function searchMessages(
  contact: string,
  query: string,
  limit: number = SEARCH_LIMIT,
): Promise<SearchResult> {
  const needle = foldForSearch(query.trim());
  if (needle === '') return { matches: [], capped: false };
  const range = IDBKeyRange.bound(
    [contact, Number.NEGATIVE_INFINITY],
    [contact, Number.POSITIVE_INFINITY],
  );
  const tx = (await db()).transaction('messages');
  const matches: MessageRecord[] = [];
  let capped = false;
  let cursor = await tx.store.index('by-contact-time').openCursor(range, 'prev');
  while (cursor) {
    const m = asMessageRecord(cursor.value);
    if (m && foldForSearch(m.text).includes(needle)) {
      if (matches.length === limit) {
        capped = true;
        break;
      }
      matches.push(m);
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return { matches, capped };
}
