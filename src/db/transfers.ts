// The `transfers` store (v3): one record per file transfer, written by the transfer engine at
// every checkpoint (PROTOCOL.md §13). The file data itself is in OPFS (src/app/files).

import type { TransferRecord } from '../peer/files/types.ts';
import { db } from './open.ts';
import { asTransferRecord, keepValid } from './validate.ts';

/** Every readable transfer record, of every contact. */
export async function listTransfers(): Promise<TransferRecord[]> {
  return keepValid(await (await db()).getAll('transfers'), asTransferRecord);
}

export async function getTransfer(id: string): Promise<TransferRecord | undefined> {
  return asTransferRecord(await (await db()).get('transfers', id));
}

export async function putTransfer(record: TransferRecord): Promise<void> {
  await (await db()).put('transfers', record);
}

/** Ids of the contact's transfers (their OPFS files go with them). */
export async function transferIdsOf(contact: string): Promise<string[]> {
  const keys = await (await db()).getAllKeysFromIndex('transfers', 'by-contact', contact);
  return keys.filter((k): k is string => typeof k === 'string');
}

export async function deleteTransfers(ids: readonly string[]): Promise<void> {
  const tx = (await db()).transaction('transfers', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}
