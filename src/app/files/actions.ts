// What the user does with files: send some (copy into storage while hashing, then offer), and
// answer or steer a transfer. Failures land on the transfer's bubble as typed errors.

import { ErrorCode, PeerlineError } from '../../crypto/errors.ts';
import { saveFileMessage, setMessageWireId } from '../../db/messages.ts';
import { wakeContact } from '../net/network.ts';
import { mergeIntoChat } from '../stores/chat-view.ts';
import { loadContacts } from '../stores/contacts.ts';
import {
  DEFAULT_CHUNK_SIZE,
  type FileTransfers,
  newTransferId,
  quotaError,
  type TransferId,
} from './engine.ts';
import { formatBytes } from './format.ts';
import { maxFileSize } from './limits.ts';
import { offerMime, offerName } from './names.ts';
import { opfs } from './opfs-client.ts';
import { engineFor, toShownError } from './registry.ts';
import { asStorageError, availableBytes, removeStored } from './storage.ts';

import { setError, setPreparing, transferEntry } from './store.ts';

/** "Preparing" progress reaches the store at most this often (ms). */
const PREPARE_EVERY_MS = 200;

/** A file that was not sent, and why (shown by the composer). */
export interface SendProblem {
  readonly name: string;
  readonly reason: string;
}

// Copies run one after another: they share the disk, and the first file should be ready first.
let copies: Promise<void> = Promise.resolve();
/** Files the user cancelled while they were being copied (or waiting to be). */
const cancelledCopies = new Set<TransferId>();

/** Cancel before the offer: stop (or skip) the copy and drop what was copied. */
async function cancelPreparing(id: TransferId): Promise<void> {
  cancelledCopies.add(id);
  setPreparing(id, {
    kind: 'failed',
    code: ErrorCode.FILE_CANCELLED,
    detail: 'cancelled while preparing',
  });
  await opfs()
    .request({ op: 'abort', id })
    .catch(() => undefined);
}

async function prepareAndOffer(contact: string, id: TransferId, file: File, messageId: string) {
  if (cancelledCopies.has(id)) return;
  const size = file.size;
  setPreparing(id, { kind: 'copying', bytes: 0, size, started: true });
  let shownAt = 0;
  let sha256: string | undefined;
  try {
    // The copy needs room for the whole file: say so now rather than after minutes of copying.
    const free = await availableBytes(id);
    if (free !== undefined && free < size) throw quotaError('not enough storage for the copy');
    sha256 = await opfs().request({ op: 'import', id, file }, (bytes) => {
      // The worker may report a slice it copied before it saw the cancel: keep "cancelled".
      if (cancelledCopies.has(id)) return;
      const now = performance.now();
      if (now - shownAt < PREPARE_EVERY_MS) return;
      shownAt = now;
      setPreparing(id, { kind: 'copying', bytes, size, started: true });
    });
    if (sha256 === undefined) throw new Error('no hash');
  } catch (e) {
    if (cancelledCopies.has(id)) {
      await removeStored(id).catch(() => undefined);
      return;
    }
    const error = e instanceof PeerlineError ? e : asStorageError(e);
    setPreparing(id, { kind: 'failed', code: error.code, detail: error.detail });
    await removeStored(id).catch(() => undefined);
    return;
  }
  if (cancelledCopies.has(id)) {
    // Cancelled as the copy finished: nothing was offered yet.
    await removeStored(id).catch(() => undefined);
    return;
  }
  try {
    const record = await engineFor(contact).offer({
      id,
      name: offerName(file.name),
      size,
      mime: offerMime(file.type),
      sha256,
      chunkSize: DEFAULT_CHUNK_SIZE,
    });
    if (cancelledCopies.has(id)) {
      // Cancel came while the offer was being stored: the transfer exists now, so cancel it.
      await engineFor(contact)
        .cancel(id)
        .catch(() => undefined);
    }
    const message = await setMessageWireId(messageId, record.messageId);
    if (message) mergeIntoChat([message]);
    wakeContact(contact);
  } catch (e) {
    const shown = toShownError(e);
    setPreparing(id, { kind: 'failed', ...shown });
    await removeStored(id).catch(() => undefined);
  }
}

/**
 * Sends `files` to `contact`: each gets its chat message at once (showing "Preparing…"), then is
 * copied into storage and offered, in order. Files over the maximum size are refused up front.
 */
export async function sendFiles(
  contact: string,
  files: readonly File[],
): Promise<readonly SendProblem[]> {
  const problems: SendProblem[] = [];
  const limit = maxFileSize();
  for (const file of files) {
    if (file.size > limit) {
      problems.push({
        name: file.name,
        reason: `larger than the maximum file size (${formatBytes(limit)})`,
      });
      continue;
    }
    const id = newTransferId();
    const saved = await saveFileMessage({
      contact,
      direction: 'out',
      file: id,
      name: offerName(file.name),
    });
    setPreparing(id, { kind: 'copying', bytes: 0, size: file.size, started: false });
    mergeIntoChat([saved.message]);
    copies = copies.then(() => prepareAndOffer(contact, id, file, saved.message.id));
  }
  await loadContacts();
  return problems;
}

type Steer = (engine: FileTransfers, id: TransferId) => Promise<void>;

function steer(f: Steer): (id: TransferId) => Promise<void> {
  return async (id) => {
    const record = transferEntry(id)?.record;
    if (!record) return;
    setError(id, undefined);
    try {
      await f(engineFor(record.contact), id);
    } catch (e) {
      setError(id, toShownError(e));
    }
    wakeContact(record.contact);
  };
}

export const acceptFile = steer((e, id) => e.accept(id));
export const declineFile = steer((e, id) => e.decline(id));
export const pauseFile = steer((e, id) => e.pause(id));
export const resumeFile = steer((e, id) => e.resume(id));
const cancelTransfer = steer((e, id) => e.cancel(id));

/** Cancel: of the transfer once offered, else of the copy that prepares it. */
export async function cancelFile(id: TransferId): Promise<void> {
  const entry = transferEntry(id);
  if (entry?.record) return cancelTransfer(id);
  if (entry?.preparing?.kind === 'copying') return cancelPreparing(id);
}
export const retryFile = steer((e, id) => e.retry(id));
export const removeFile = steer((e, id) => e.removeFile(id));
