// Light checks of what comes back from IndexedDB. The database is ours, but another version of
// the app, a browser extension or a half-finished migration may have written to it: a record
// that does not have the expected shape is skipped instead of crashing the UI.

import type {
  FileMeta,
  HashSnapshot,
  PauseState,
  TransferRecord,
  TransferStatus,
} from '../peer/files/types.ts';
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
  const { file } = v;
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
    !(receiptDue === undefined || RECEIPTS_DUE.has(receiptDue)) ||
    !(file === undefined || isTransferId(file))
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
    ...(file === undefined ? {} : { file }),
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
  if (v.name === 'maxFileSize' && isCount(v.value) && v.value > 0) {
    return { name: 'maxFileSize', value: v.value };
  }
  return undefined;
}

const TRANSFER_ID = /^[0-9a-f]{32}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isTransferId(v: unknown): v is string {
  return typeof v === 'string' && TRANSFER_ID.test(v);
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function asFileMeta(v: unknown): FileMeta | undefined {
  if (!isObj(v)) return undefined;
  const { id, name, size, mime, sha256, chunkSize } = v;
  if (
    !isTransferId(id) ||
    typeof name !== 'string' ||
    name.length === 0 ||
    !isCount(size) ||
    typeof mime !== 'string' ||
    typeof sha256 !== 'string' ||
    !SHA256_HEX.test(sha256) ||
    !isCount(chunkSize) ||
    chunkSize === 0
  ) {
    return undefined;
  }
  return { id, name, size, mime, sha256, chunkSize };
}

const BY: ReadonlySet<unknown> = new Set(['local', 'remote']);
const PAUSED_BY: ReadonlySet<unknown> = new Set(['local', 'remote', 'both']);

function asTransferStatus(v: unknown): TransferStatus | undefined {
  if (!isObj(v)) return undefined;
  switch (v.kind) {
    case 'offered':
    case 'active':
    case 'verifying':
    case 'complete':
      return { kind: v.kind };
    case 'paused':
      return PAUSED_BY.has(v.by)
        ? { kind: 'paused', by: v.by as 'local' | 'remote' | 'both' }
        : undefined;
    case 'declined':
      return BY.has(v.by) ? { kind: 'declined', by: v.by as 'local' | 'remote' } : undefined;
    case 'cancelled':
      return BY.has(v.by) && isCount(v.code)
        ? { kind: 'cancelled', by: v.by as 'local' | 'remote', code: v.code }
        : undefined;
    case 'failed':
      return isCount(v.code) && typeof v.detail === 'string'
        ? { kind: 'failed', code: v.code, detail: v.detail }
        : undefined;
    default:
      return undefined;
  }
}

function asHashSnapshot(v: unknown): HashSnapshot | undefined {
  if (!isObj(v)) return undefined;
  const { words, length, pending } = v;
  if (
    !Array.isArray(words) ||
    words.length !== 8 ||
    !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) ||
    !isCount(length) ||
    !(pending instanceof Uint8Array) ||
    pending.length >= 64
  ) {
    return undefined;
  }
  return { words: words as number[], length, pending };
}

function asPauseState(v: unknown): PauseState | undefined {
  if (!isObj(v) || typeof v.local !== 'boolean' || typeof v.remote !== 'boolean') return undefined;
  return { local: v.local, remote: v.remote };
}

export function asTransferRecord(v: unknown): TransferRecord | undefined {
  if (!isObj(v)) return undefined;
  const meta = asFileMeta(v.meta);
  const status = asTransferStatus(v.status);
  const paused = asPauseState(v.paused);
  const hash = v.hash === undefined ? undefined : asHashSnapshot(v.hash);
  const { contact, direction, verified, messageId, createdAt, updatedAt } = v;
  if (
    !meta ||
    !status ||
    !paused ||
    (v.hash !== undefined && !hash) ||
    (v.removed !== undefined && (v.removed !== true || status.kind !== 'complete')) ||
    !isKeyHex(contact) ||
    !(direction === 'send' || direction === 'receive') ||
    !isCount(verified) ||
    typeof messageId !== 'string' ||
    !isTime(createdAt) ||
    !isTime(updatedAt)
  ) {
    return undefined;
  }
  const base: TransferRecord = {
    meta,
    contact,
    direction,
    status,
    verified,
    paused,
    messageId,
    createdAt,
    updatedAt,
  };
  const withHash = hash === undefined ? base : { ...base, hash };
  return v.removed === true ? { ...withHash, removed: true } : withHash;
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
