// Light checks of what comes back from IndexedDB. The database is ours, but another version of
// the app, a browser extension or a half-finished migration may have written to it: a record
// that does not have the expected shape is skipped instead of crashing the UI.

import type {
  ContactRecord,
  IdentityRecord,
  MessageRecord,
  OutboxRecord,
  OwnStatus,
  ReceiptDue,
  SettingRecord,
  ThemeSetting,
} from './schema.ts';

const KEY_HEX = /^[0-9a-f]{64}$/;
const MESSAGE_STATES: ReadonlySet<unknown> = new Set(['pending', 'sent', 'delivered', 'read']);
const DIRECTIONS: ReadonlySet<unknown> = new Set(['in', 'out']);
const THEMES: ReadonlySet<unknown> = new Set(['system', 'light', 'dark']);
const OWN_STATUSES: ReadonlySet<unknown> = new Set(['online', 'away', 'busy']);
const RECEIPTS_DUE: ReadonlySet<unknown> = new Set(['delivered', 'read']);
const MAX_STATUS_TEXT = 140;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export function isKeyHex(v: unknown): v is string {
  return typeof v === 'string' && KEY_HEX.test(v);
}

export function asIdentityRecord(v: unknown): IdentityRecord | undefined {
  if (!isObj(v)) return undefined;
  const { bytes, displayName, createdAt } = v;
  if (!(bytes instanceof Uint8Array) || typeof displayName !== 'string' || !isTime(createdAt)) {
    return undefined;
  }
  return { bytes, displayName, createdAt };
}

export function asContactRecord(v: unknown): ContactRecord | undefined {
  if (!isObj(v)) return undefined;
  const { key, name, addedAt, verified, blocked, lastMessageAt, lastMessagePreview, unread } = v;
  const { lastSeen } = v;
  if (
    !isKeyHex(key) ||
    typeof name !== 'string' ||
    !isTime(addedAt) ||
    typeof verified !== 'boolean' ||
    typeof blocked !== 'boolean' ||
    !(lastMessageAt === null || isTime(lastMessageAt)) ||
    typeof lastMessagePreview !== 'string' ||
    !(Number.isSafeInteger(unread) && (unread as number) >= 0) ||
    !(lastSeen === undefined || isTime(lastSeen))
  ) {
    return undefined;
  }
  const base = {
    key,
    name,
    addedAt,
    verified,
    blocked,
    lastMessageAt,
    lastMessagePreview,
    unread: unread as number,
  };
  return lastSeen === undefined ? base : { ...base, lastSeen };
}

export function asMessageRecord(v: unknown): MessageRecord | undefined {
  if (!isObj(v)) return undefined;
  const { id, contact, direction, text, timestamp, state, replyTo, wireId, receiptDue } = v;
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    !isKeyHex(contact) ||
    !DIRECTIONS.has(direction) ||
    typeof text !== 'string' ||
    !isTime(timestamp) ||
    !MESSAGE_STATES.has(state) ||
    !(replyTo === undefined || typeof replyTo === 'string') ||
    !(wireId === undefined || typeof wireId === 'string') ||
    !(receiptDue === undefined || RECEIPTS_DUE.has(receiptDue))
  ) {
    return undefined;
  }
  const base: MessageRecord = {
    id,
    contact,
    direction: direction as MessageRecord['direction'],
    text,
    timestamp,
    state: state as MessageRecord['state'],
  };
  return {
    ...base,
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(wireId === undefined ? {} : { wireId }),
    ...(receiptDue === undefined ? {} : { receiptDue: receiptDue as ReceiptDue }),
  };
}

export function asOutboxRecord(v: unknown): OutboxRecord | undefined {
  if (!isObj(v)) return undefined;
  const { seq, contact, messageId, queuedAt, sentIn } = v;
  if (
    !Number.isSafeInteger(seq) ||
    !isKeyHex(contact) ||
    typeof messageId !== 'string' ||
    !isTime(queuedAt) ||
    !(sentIn === undefined || typeof sentIn === 'string')
  ) {
    return undefined;
  }
  const base = { seq: seq as number, contact, messageId, queuedAt };
  return sentIn === undefined ? base : { ...base, sentIn };
}

export function asSettingRecord(v: unknown): SettingRecord | undefined {
  if (!isObj(v)) return undefined;
  if (v.name === 'theme' && THEMES.has(v.value)) {
    return { name: 'theme', value: v.value as ThemeSetting };
  }
  if (v.name === 'status' && isObj(v.value)) {
    const { status, text } = v.value;
    if (OWN_STATUSES.has(status) && typeof text === 'string' && text.length <= MAX_STATUS_TEXT) {
      return { name: 'status', value: { status: status as OwnStatus, text } };
    }
  }
  return undefined;
}

/** Keeps the records that pass `check`, in order. */
export function keepValid<T>(
  values: readonly unknown[],
  check: (v: unknown) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const v of values) {
    const r = check(v);
    if (r !== undefined) out.push(r);
  }
  return out;
}
