// The one typed schema of Peerline's IndexedDB database. Every store and index is described
// here; `migrations.ts` creates them version by version.

import type { DBSchema } from 'idb';
import type { TransferRecord } from '../peer/files/types.ts';

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
  /** When the contact's last session ended (unix ms); absent until we were connected once. */
  readonly lastSeen?: number;
}

export type MessageDirection = 'in' | 'out';
/** pending → sent → delivered → read (receipts, seed 001). */
export type MessageState = 'pending' | 'sent' | 'delivered' | 'read';

/** A receipt we still owe the sender of an incoming message (sent when a session is up). */
export type ReceiptDue = 'delivered' | 'read';

export interface MessageRecord {
  /** Local id (32 hex, PROTOCOL.md §5 form); the store key. */
  readonly id: string;
  /** Contact key (hex). */
  readonly contact: string;
  readonly direction: MessageDirection;
  readonly text: string;
  /** Outgoing: when it was written; incoming: the sender's envelope timestamp. */
  readonly timestamp: number;
  /**
   * Outgoing: pending → sent → delivered → read. Incoming: 'delivered' until the chat is viewed,
   * then 'read'.
   */
  readonly state: MessageState;
  /** Local id of the message this one answers. */
  readonly replyTo?: string;
  /**
   * The envelope id on the wire: the sender's for incoming messages; for outgoing ones the id of
   * the latest copy written to a session. Receipts and replies name messages by it.
   */
  readonly wireId?: string;
  /** Incoming only: the receipt still owed to the sender; absent once sent. */
  readonly receiptDue?: ReceiptDue;
  /** A file message: the transfer id (`transfers` store); `text` is then the file name. */
  readonly file?: string;
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
  /**
   * The session (a random tag per session) this entry was last written to. An entry stays in the
   * outbox until the peer's 'delivered' receipt; a new session sends again what an earlier one
   * wrote but never confirmed, since a channel can die with frames still in flight.
   */
  readonly sentIn?: string;
}

export type ThemeSetting = 'system' | 'light' | 'dark';

/** What the user chose to show contacts; 'offline' is only ever sent when leaving. */
export type OwnStatus = 'online' | 'away' | 'busy';

export interface StatusSetting {
  readonly status: OwnStatus;
  /** Status message, at most 140 characters (PROTOCOL.md §5 presence). */
  readonly text: string;
}

/** Every setting and the type of its value. */
export interface SettingValues {
  readonly theme: ThemeSetting;
  readonly status: StatusSetting;
  /** Largest file sent or accepted, in bytes. */
  readonly maxFileSize: number;
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
    indexes: {
      'by-contact-time': [string, number];
      /** [contact, direction, wireId]: receipts, replies and duplicate detection (v2). */
      'by-wire': [string, string, string];
      /** [contact, receiptDue]: receipts owed, found without scanning the chat (v2). */
      'by-receipt-due': [string, string];
    };
  };
  outbox: {
    key: number;
    value: OutboxRecord;
    indexes: { 'by-contact-seq': [string, number]; 'by-message': string };
  };
  settings: { key: SettingName; value: SettingRecord };
  /** File transfers (v3): one record per transfer, rewritten at every checkpoint. */
  transfers: {
    key: string;
    value: TransferRecord;
    indexes: { 'by-contact': string };
  };
}

export type StoreName = 'identity' | 'contacts' | 'messages' | 'outbox' | 'settings' | 'transfers';
