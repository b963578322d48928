// The `contacts` store: people this identity talks to, keyed by their public key in hex.

import type { IDBPTransaction } from 'idb';
import { db } from './open.ts';
import type { ContactRecord, PeerlineDB } from './schema.ts';
import { asContactRecord, keepValid } from './validate.ts';

/** When the contact last did something: their last message, or when they were added. */
export function lastActivity(c: ContactRecord): number {
  return c.lastMessageAt ?? c.addedAt;
}

/** Every readable contact, most recent activity first. */
export async function listContacts(): Promise<ContactRecord[]> {
  const all = keepValid(await (await db()).getAll('contacts'), asContactRecord);
  return all.sort((a, b) => lastActivity(b) - lastActivity(a));
}

export async function getContact(key: string): Promise<ContactRecord | undefined> {
  return asContactRecord(await (await db()).get('contacts', key));
}

export type AddContactResult =
  | { readonly kind: 'added'; readonly contact: ContactRecord }
  | { readonly kind: 'exists'; readonly contact: ContactRecord };

/** Adds a contact unless one with this key exists; an existing contact is left untouched. */
export async function addContact(
  key: string,
  name: string,
  now: number = Date.now(),
): Promise<AddContactResult> {
  const tx = (await db()).transaction('contacts', 'readwrite');
  const existing = asContactRecord(await tx.store.get(key));
  if (existing) {
    await tx.done;
    return { kind: 'exists', contact: existing };
  }
  const contact: ContactRecord = {
    key,
    name,
    addedAt: now,
    verified: false,
    blocked: false,
    lastMessageAt: null,
    lastMessagePreview: '',
    unread: 0,
  };
  await tx.store.add(contact);
  await tx.done;
  return { kind: 'added', contact };
}

export type ContactPatch = Partial<
  Pick<ContactRecord, 'name' | 'verified' | 'blocked' | 'unread' | 'lastSeen'>
>;

/** Applies `patch` in one read-write transaction; returns the new record, or undefined if gone. */
export async function updateContact(
  key: string,
  patch: ContactPatch,
): Promise<ContactRecord | undefined> {
  const tx = (await db()).transaction('contacts', 'readwrite');
  const current = asContactRecord(await tx.store.get(key));
  if (!current) {
    await tx.done;
    return undefined;
  }
  const next: ContactRecord = { ...current, ...patch };
  await tx.store.put(next);
  await tx.done;
  return next;
}

type ChatTx = IDBPTransaction<
  PeerlineDB,
  ['contacts', 'messages', 'outbox', 'transfers'],
  'readwrite'
>;
const CHAT_STORES = ['contacts', 'messages', 'outbox', 'transfers'] as const;

/**
 * What else goes with a chat: the file layer stops the contact's transfers before the records
 * go (so nothing writes them back) and removes their files after (OPFS is not transactional).
 */
export interface ChatDeletionHooks {
  before(contact: string): Promise<void>;
  after(contact: string, transferIds: readonly string[]): Promise<void>;
}

let hooks: ChatDeletionHooks | undefined;

export function setChatDeletionHooks(h: ChatDeletionHooks | undefined): void {
  hooks = h;
}

/**
 * Queues the deletion of a chat's messages, outbox entries (receipts owed live on them) and
 * transfer records; returns the work and the transfer ids.
 */
async function deleteChatRecords(
  tx: ChatTx,
  key: string,
): Promise<{ work: Promise<unknown>[]; transfers: string[] }> {
  const range = IDBKeyRange.bound([key, Number.NEGATIVE_INFINITY], [key, Number.POSITIVE_INFINITY]);
  const work: Promise<unknown>[] = [];
  const messageKeys = await tx.objectStore('messages').index('by-contact-time').getAllKeys(range);
  for (const id of messageKeys) work.push(tx.objectStore('messages').delete(id));
  const outboxKeys = await tx.objectStore('outbox').index('by-contact-seq').getAllKeys(range);
  for (const seq of outboxKeys) work.push(tx.objectStore('outbox').delete(seq));
  const transfers = await tx.objectStore('transfers').index('by-contact').getAllKeys(key);
  for (const id of transfers) work.push(tx.objectStore('transfers').delete(id));
  return { work, transfers };
}

/** Deletes the contact with its messages, queued outbox entries and transfers, all or nothing. */
export async function deleteContact(key: string): Promise<void> {
  await hooks?.before(key);
  const tx = (await db()).transaction(CHAT_STORES, 'readwrite');
  const { work, transfers } = await deleteChatRecords(tx, key);
  await Promise.all([tx.objectStore('contacts').delete(key), ...work, tx.done]);
  await hooks?.after(key, transfers);
}

/**
 * Deletes a chat's history, its unsent messages and its file transfers but keeps the contact
 * (key, name, verified mark, block), all or nothing. Returns false if the contact is gone.
 */
export async function deleteChat(key: string): Promise<boolean> {
  await hooks?.before(key);
  const tx = (await db()).transaction(CHAT_STORES, 'readwrite');
  const contacts = tx.objectStore('contacts');
  const current = asContactRecord(await contacts.get(key));
  if (!current) {
    await tx.done;
    return false;
  }
  const cleared: ContactRecord = {
    ...current,
    lastMessageAt: null,
    lastMessagePreview: '',
    unread: 0,
  };
  const { work, transfers } = await deleteChatRecords(tx, key);
  await Promise.all([contacts.put(cleared), ...work, tx.done]);
  await hooks?.after(key, transfers);
  return true;
}
