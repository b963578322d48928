// The `identity` store: one record holding the serialized identity and the display name.

import { db } from './open.ts';
import { IDENTITY_KEY, type IdentityRecord } from './schema.ts';
import { asIdentityRecord } from './validate.ts';

export type StoredIdentity =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly record: IdentityRecord }
  /** Something is stored but unreadable: never silently replaced by a new identity. */
  | { readonly kind: 'corrupt' };

export async function loadIdentity(): Promise<StoredIdentity> {
  const raw: unknown = await (await db()).get('identity', IDENTITY_KEY);
  if (raw === undefined) return { kind: 'none' };
  const record = asIdentityRecord(raw);
  return record ? { kind: 'found', record } : { kind: 'corrupt' };
}

/** Stores a new identity; rejects (ConstraintError) if one exists, so none is ever overwritten. */
export async function saveNewIdentity(record: IdentityRecord): Promise<void> {
  await (await db()).add('identity', record, IDENTITY_KEY);
}

export async function renameIdentity(displayName: string): Promise<IdentityRecord> {
  const tx = (await db()).transaction('identity', 'readwrite');
  const current = asIdentityRecord(await tx.store.get(IDENTITY_KEY));
  if (!current) throw new Error('no identity to rename');
  const next: IdentityRecord = { ...current, displayName };
  await tx.store.put(next, IDENTITY_KEY);
  await tx.done;
  return next;
}

/**
 * Deletes the identity and everything tied to it (contacts, messages, outbox, settings,
 * transfer records; the app removes the files) in one
 * transaction: the address is gone, so nothing said to or from it stays behind.
 */
export async function deleteEverything(): Promise<void> {
  const stores = ['identity', 'contacts', 'messages', 'outbox', 'settings', 'transfers'] as const;
  const tx = (await db()).transaction(stores, 'readwrite');
  await Promise.all([...stores.map((s) => tx.objectStore(s).clear()), tx.done]);
}
