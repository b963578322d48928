// Opens the one database connection and keeps tabs from corrupting each other: when another tab
// needs a newer schema we close ours (`blocking`) and tell the UI; when an older tab holds the
// database open we cannot upgrade (`blocked`) and tell the UI too.

import { type IDBPDatabase, openDB } from 'idb';
import { DB_VERSION, upgrade } from './migrations.ts';
import { DB_NAME, type PeerlineDB } from './schema.ts';

export type DbEvent =
  /** An older Peerline tab keeps the database open; this tab waits until it closes. */
  | { readonly kind: 'blocked' }
  /** Another tab wants a newer version: this tab closed its connection and must reload. */
  | { readonly kind: 'blocking' }
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  | { readonly kind: 'terminated' }
  /** The upgrade went through after having been blocked. */
  | { readonly kind: 'open' };

type Listener = (event: DbEvent) => void;

const listeners = new Set<Listener>();
let opening: Promise<IDBPDatabase<PeerlineDB>> | undefined;

function emit(event: DbEvent): void {
  for (const l of listeners) l(event);
}

/** Subscribes to connection events; returns the unsubscribe function. */
export function onDbEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The shared connection, opened on first use. */
export function db(): Promise<IDBPDatabase<PeerlineDB>> {
  if (!opening) opening = open();
  return opening;
}

async function open(): Promise<IDBPDatabase<PeerlineDB>> {
  let wasBlocked = false;
  const conn = await openDB<PeerlineDB>(DB_NAME, DB_VERSION, {
    upgrade: (database, oldVersion, _newVersion, tx) => upgrade(database, oldVersion, tx),
    blocked: () => {
      wasBlocked = true;
      emit({ kind: 'blocked' });
    },
    blocking: () => {
      conn.close();
      opening = Promise.reject(new Error('database closed for a newer version in another tab'));
      // Nobody may be awaiting it; keep the rejection from being reported as unhandled.
      opening.catch(() => undefined);
      emit({ kind: 'blocking' });
    },
    terminated: () => {
      opening = undefined;
      emit({ kind: 'terminated' });
    },
  });
  if (wasBlocked) emit({ kind: 'open' });
  return conn;
}
