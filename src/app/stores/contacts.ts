// The contact list as the UI sees it. Every change goes to the DB first; the list is then read
// back, so what is shown is always what is stored.

import { createSignal } from 'solid-js';
import {
  type AddContactResult,
  addContact as addStored,
  type ContactPatch,
  deleteChat,
  deleteContact,
  listContacts,
  updateContact,
} from '../../db/contacts.ts';
import type { ContactRecord } from '../../db/schema.ts';

export type ContactsState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly list: readonly ContactRecord[] }
  | { readonly status: 'failed' };

const [contactsState, setContactsState] = createSignal<ContactsState>({ status: 'loading' });

export { contactsState };

/** Newest activity first; empty while loading. */
export function contacts(): readonly ContactRecord[] {
  const s = contactsState();
  return s.status === 'ready' ? s.list : [];
}

export function contactByKey(key: string): ContactRecord | undefined {
  return contacts().find((c) => c.key === key);
}

export async function loadContacts(): Promise<void> {
  try {
    setContactsState({ status: 'ready', list: await listContacts() });
  } catch {
    setContactsState({ status: 'failed' });
  }
}

export async function addContact(key: string, name: string): Promise<AddContactResult> {
  const result = await addStored(key, name);
  await loadContacts();
  return result;
}

async function patch(key: string, change: ContactPatch): Promise<void> {
  await updateContact(key, change);
  await loadContacts();
}

export const renameContact = (key: string, name: string) => patch(key, { name });
export const setVerified = (key: string, verified: boolean) => patch(key, { verified });
export const setBlocked = (key: string, blocked: boolean) => patch(key, { blocked });
export const clearUnread = (key: string) => patch(key, { unread: 0 });

export async function removeContact(key: string): Promise<void> {
  await deleteContact(key);
  await loadContacts();
}

/** Empties the chat with `key` (messages and unsent outbox) and keeps the contact. */
export async function clearChat(key: string): Promise<void> {
  await deleteChat(key);
  await loadContacts();
}

/** After the identity is deleted: nothing left to show. */
export function resetContacts(): void {
  setContactsState({ status: 'loading' });
}
