// The one typed schema of Peerline's IndexedDB database. Every store and index is described
// here; `migrations.ts` creates them version by version.

import type { DBSchema } from 'idb';

export const DB_NAME = 'peerline';

/** The single key of the `identity` store: there is exactly one identity per browser profile. */
export const IDENTITY_KEY = 'self';

export interface IdentityRecord {
  /** `serializeIdentity()` output. Secret: never logged, never sent anywhere. */
  readonly bytes: Uint8Array;
  readonly displayName: string;
  /** Unix milliseconds. */
  readonly createdAt: number;
}

export interface ContactRecord {
  /** The contact's Ed25519 public key, 64 lowercase hex characters: the store key. */
  readonly key: string;
  readonly name: string;
  readonly addedAt: number;
  readonly verified: boolean;
  readonly blocked: boolean;
  readonly lastMessageAt: number | null;
  readonly lastMessagePreview: string;
  readonly unread: number;
}

export type MessageDirection = 'in' | 'out';
/** pending → sent → delivered → read (receipts, seed 001). */
export type MessageState = 'pending' | 'sent' | 'delivered' | 'read';

export interface MessageRecord {
  readonly id: string;
  /** Contact key (hex). */
  readonly contact: string;
  readonly direction: MessageDirection;
  readonly text: string;
  readonly timestamp: number;
  readonly state: MessageState;
  readonly replyTo?: string;
}

/**
 * One queued outgoing message. `seq` is auto-incremented by IndexedDB, so within one contact the
 * [contact, seq] index yields messages in the order they were written, across reloads.
 */
export interface OutboxRecord {
  readonly seq?: number;
  readonly contact: string;
  readonly messageId: string;
  readonly queuedAt: number;
}

export type ThemeSetting = 'system' | 'light' | 'dark';

/** Every setting and the type of its value. */
export interface SettingValues {
  readonly theme: ThemeSetting;
}
export type SettingName = keyof SettingValues;

export type SettingRecord = {
  [K in SettingName]: { readonly name: K; readonly value: SettingValues[K] };
}[SettingName];

export interface PeerlineDB extends DBSchema {
  identity: { key: typeof IDENTITY_KEY; value: IdentityRecord };
  contacts: { key: string; value: ContactRecord };
  messages: {
    key: string;
    value: MessageRecord;
    indexes: { 'by-contact-time': [string, number] };
  };
  outbox: {
    key: number;
    value: OutboxRecord;
    indexes: { 'by-contact-seq': [string, number]; 'by-message': string };
  };
  settings: { key: SettingName; value: SettingRecord };
}

export type StoreName = 'identity' | 'contacts' | 'messages' | 'outbox' | 'settings';
