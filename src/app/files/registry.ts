// One transfer engine per contact, across sessions: created at start for contacts with
// transfers (and on demand for the others), attached to each chat session as it comes up,
// detached when it goes. Engine events feed the UI store; a new incoming offer becomes a chat
// message.

import { isPeerlineError } from '../../crypto/errors.ts';
import { listContacts, setChatDeletionHooks } from '../../db/contacts.ts';
import { deleteTransfers, listTransfers } from '../../db/transfers.ts';
import type { Session } from '../../peer/session-types.ts';
import { channelFor, onChannel } from '../net/network.ts';
import {
  createFileTransfers,
  createRateEstimator,
  type FileTransfers,
  type Progress,
  type RateEstimator,
  sessionOf,
  type TransferId,
  type TransferRecord,
} from './engine.ts';
import { showIncoming } from './incoming.ts';
import { loadMaxFileSize, maxFileSize, onMaxFileSize } from './limits.ts';
import { opfs } from './opfs-client.ts';
import {
  type ContactStorage,
  createStorage,
  removeAllStored,
  removeStored,
  storedIds,
} from './storage.ts';
import { dropEntries, setError, setProgress, setRecord, transferEntry } from './store.ts';

/** Progress reaches the store at most this often per transfer (ms): a bar needs no more. */
const PROGRESS_EVERY_MS = 200;
const FINAL: ReadonlySet<string> = new Set(['complete', 'declined', 'cancelled']);
/** Statuses in which an engine holds nothing that only lives in memory. */
const IDLE: ReadonlySet<string> = new Set([...FINAL, 'offered', 'failed']);

interface Live {
  readonly engine: FileTransfers;
  readonly storage: ContactStorage;
  readonly offs: (() => void)[];
  session: Session | undefined;
  detach: (() => void) | undefined;
  /** Made with an older maximum file size: rebuilt once idle. */
  stale: boolean;
}

const engines = new Map<string, Live>();
const meters = new Map<TransferId, { readonly rate: RateEstimator; shownAt: number }>();
let stopRunning: (() => void) | undefined;

function create(contact: string, records: readonly TransferRecord[] = []): Live {
  const storage = createStorage();
  const engine = createFileTransfers({ contact, storage, limits: { maxFileSize: maxFileSize() } });
  engine.load(records);
  const live: Live = {
    engine,
    storage,
    offs: [],
    session: undefined,
    detach: undefined,
    stale: false,
  };
  live.offs.push(
    engine.on('update', onUpdate),
    engine.on('progress', onProgress),
    engine.on('error', ({ id, error }) => onError(id, error.code, error.detail)),
  );
  engines.set(contact, live);
  // load() may move statuses on (a transfer cut by the reload is no longer running).
  for (const r of engine.records()) setRecord(r);
  return live;
}

/** The contact's engine, created on first use. */
export function engineFor(contact: string): FileTransfers {
  return (engines.get(contact) ?? create(contact)).engine;
}

function onUpdate(r: TransferRecord): void {
  const isNew = transferEntry(r.meta.id)?.record === undefined;
  setRecord(r);
  if (r.status.kind !== 'active') meters.delete(r.meta.id);
  // The file is read (preview, save, tests) through getFile(): release the write handle.
  if (r.direction === 'receive' && IDLE.has(r.status.kind)) {
    opfs()
      .request({ op: 'close', id: r.meta.id })
      .catch(() => undefined);
  }
  if (isNew && r.direction === 'receive') void showIncoming(r, true);
}

/** Errors the bubble's status does not already tell (a cancel, a failure with that code). */
function onError(id: TransferId, code: number, detail: string): void {
  const s = transferEntry(id)?.record?.status;
  const told = (s?.kind === 'failed' || s?.kind === 'cancelled') && s.code === code;
  if (told || code === 3005 || code === 3006) return;
  setError(id, { code, detail });
}

function onProgress(p: Progress): void {
  let m = meters.get(p.id);
  if (!m) {
    m = { rate: createRateEstimator(), shownAt: 0 };
    meters.set(p.id, m);
  }
  const now = performance.now();
  m.rate.add(p.bytes, now);
  if (now - m.shownAt < PROGRESS_EVERY_MS && p.bytes < p.size) return;
  m.shownAt = now;
  const { bytesPerSecond, secondsLeft } = m.rate.estimate(p.size, now);
  setProgress(p.id, {
    bytes: p.bytes,
    size: p.size,
    ...(bytesPerSecond > 0 ? { rate: bytesPerSecond } : {}),
    ...(secondsLeft === undefined ? {} : { eta: secondsLeft }),
  });
}

function release(live: Live): void {
  live.detach?.();
  live.detach = undefined;
  live.session = undefined;
}

function retire(contact: string): Live | undefined {
  const live = engines.get(contact);
  if (!live) return undefined;
  engines.delete(contact);
  live.storage.retire();
  release(live);
  for (const off of live.offs) off();
  return live;
}

/** A new engine with the current maximum, same transfers, same session. */
function rebuild(contact: string): void {
  const session = engines.get(contact)?.session;
  const old = retire(contact);
  if (!old) return;
  const live = create(contact, old.engine.records());
  if (session) {
    live.session = session;
    live.detach = live.engine.attach(session);
  }
}

function isIdle(live: Live): boolean {
  return live.engine.records().every((r) => IDLE.has(r.status.kind));
}

function follow(contact: string, channel: ReturnType<typeof channelFor>): void {
  if (!channel) {
    const live = engines.get(contact);
    if (!live) return;
    release(live);
    if (live.stale) rebuild(contact);
    return;
  }
  const live = engines.get(contact) ?? create(contact);
  const session = sessionOf(channel);
  if (live.session === session) return;
  release(live);
  live.session = session;
  live.detach = live.engine.attach(session);
}

/** Engines read the maximum when made: replace idle ones now, busy ones when their session ends. */
function maxChanged(): void {
  for (const [contact, live] of [...engines]) {
    if (isIdle(live)) rebuild(contact);
    else live.stale = true;
  }
}

/** Before a chat goes: stop its unfinished transfers (the peer is told) and the engine. */
async function beforeChatDeleted(contact: string): Promise<void> {
  const live = engines.get(contact);
  if (!live) return;
  for (const r of live.engine.records()) {
    if (FINAL.has(r.status.kind)) continue;
    await live.engine.cancel(r.meta.id).catch(() => undefined);
  }
  retire(contact);
}

/** After: remove the files, and keep listening to offers if the contact is still connected. */
async function afterChatDeleted(contact: string, ids: readonly string[]): Promise<void> {
  dropEntries(ids);
  await Promise.all(ids.map((id) => removeStored(id).catch(() => undefined)));
  follow(contact, channelFor(contact));
}

export function toShownError(e: unknown): { code: number; detail: string } {
  return isPeerlineError(e)
    ? { code: e.code, detail: e.detail }
    : { code: 0, detail: 'the action failed' };
}

/** Starts the file layer for the current identity: restores transfers, follows sessions. */
export async function startFiles(): Promise<void> {
  if (stopRunning) return;
  const off: (() => void)[] = [];
  stopRunning = () => {
    for (const f of off) f();
  };
  await loadMaxFileSize();
  const [records, contacts] = await Promise.all([listTransfers(), listContacts()]);
  const known = new Set(contacts.map((c) => c.key));
  const byContact = new Map<string, TransferRecord[]>();
  const strays: string[] = [];
  for (const r of records) {
    if (known.has(r.contact)) byContact.set(r.contact, [...(byContact.get(r.contact) ?? []), r]);
    else strays.push(r.meta.id);
  }
  // Written back by an engine while its contact was being deleted.
  if (strays.length > 0) await deleteTransfers(strays).catch(() => undefined);
  // Records first, sessions after: an engine restores its transfers before it is attached.
  for (const [contact, list] of byContact) if (!engines.has(contact)) create(contact, list);
  off.push(onChannel(follow), onMaxFileSize(maxChanged));
  setChatDeletionHooks({ before: beforeChatDeleted, after: afterChatDeleted });
  off.push(() => setChatDeletionHooks(undefined));
  // Sessions that came up while this module was loading.
  for (const key of known) follow(key, channelFor(key));
  for (const list of byContact.values()) {
    for (const r of list) if (r.direction === 'receive') void showIncoming(r, false);
  }
  await removeOrphans(new Set(records.map((r) => r.meta.id).filter((id) => !strays.includes(id))));
}

/** Files no record owns (a copy cut short by a reload, a deleted contact's leftovers). */
async function removeOrphans(owned: ReadonlySet<string>): Promise<void> {
  try {
    for (const id of await storedIds()) {
      if (owned.has(id) || transferEntry(id) !== undefined) continue;
      await removeStored(id).catch(() => undefined);
    }
  } catch {
    // No OPFS (or not allowed): nothing was ever stored there either.
  }
}

/** The identity is gone: stop every engine and delete every transfer file. */
export async function stopFiles(): Promise<void> {
  stopRunning?.();
  stopRunning = undefined;
  for (const contact of [...engines.keys()]) retire(contact);
  meters.clear();
  dropEntries();
  await removeAllStored().catch(() => undefined);
}
