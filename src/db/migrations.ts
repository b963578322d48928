// Versioned schema upgrades. Each entry moves the database from version i to i + 1; a new
// version is added by appending a step (never by editing an old one), and DB_VERSION follows.

import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { PeerlineDB } from './schema.ts';

type UpgradeTx = IDBPTransaction<PeerlineDB, StoreNames<PeerlineDB>[], 'versionchange'>;
type Migration = (db: IDBPDatabase<PeerlineDB>, tx: UpgradeTx) => void;

const MIGRATIONS: readonly Migration[] = [
  // Version 1: the first schema.
  (db) => {
    db.createObjectStore('identity');
    db.createObjectStore('contacts', { keyPath: 'key' });
    const messages = db.createObjectStore('messages', { keyPath: 'id' });
    messages.createIndex('by-contact-time', ['contact', 'timestamp']);
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('by-contact-seq', ['contact', 'seq']);
    outbox.createIndex('by-message', 'messageId', { unique: true });
    db.createObjectStore('settings', { keyPath: 'name' });
  },
  // Version 2: messages on the wire. Records without the indexed fields are simply not in these
  // indexes, so existing history needs no rewrite.
  (_db, tx) => {
    const messages = tx.objectStore('messages');
    messages.createIndex('by-wire', ['contact', 'direction', 'wireId']);
    messages.createIndex('by-receipt-due', ['contact', 'receiptDue']);
  },
  // Version 3: file transfers (PROTOCOL.md §13). Records are keyed by the transfer id inside
  // the offer's metadata; file data lives in OPFS, not here.
  (db) => {
    const transfers = db.createObjectStore('transfers', { keyPath: 'meta.id' });
    transfers.createIndex('by-contact', 'contact');
  },
  // Version 4 goes here.
];

export const DB_VERSION = MIGRATIONS.length;

/** Runs every step between the stored version and DB_VERSION, in order, in the upgrade tx. */
export function upgrade(db: IDBPDatabase<PeerlineDB>, oldVersion: number, tx: UpgradeTx): void {
  for (let v = oldVersion; v < MIGRATIONS.length; v++) {
    const step = MIGRATIONS[v];
    if (step) step(db, tx);
  }
}
