// A transfer as its bubble shows it: status words, which buttons, the progress numbers. Pure,
// so every state's wording and actions are tested without a browser.

import type { TransferRecord } from './engine.ts';
import { progressLine } from './format.ts';
import { type PreviewKind, previewKind } from './names.ts';
import type { TransferEntry } from './store.ts';

export type FileAction = 'accept' | 'decline' | 'pause' | 'resume' | 'cancel' | 'retry';

/** What went wrong, per PROTOCOL.md §13 error code, in words a person can act on. */
export const CODE_TEXT: Readonly<Record<number, string>> = {
  3000: 'the file is larger than allowed',
  3001: 'there is not enough storage space',
  3002: 'data arrived that nobody asked for',
  3003: 'a piece of the file arrived damaged',
  3004: 'the received file does not match the original',
  3005: 'cancelled',
  3006: 'declined',
  3007: 'the other side no longer knows this transfer',
  3008: 'saving the file failed',
};

export function codeText(code: number): string {
  return CODE_TEXT[code] ?? `error ${code}`;
}

/** A failed action or a transfer's problem, as one sentence. */
export function errorText(e: { readonly code: number; readonly detail: string }): string {
  const why = CODE_TEXT[e.code] ?? e.detail;
  return `${why.charAt(0).toUpperCase()}${why.slice(1)}.`;
}

export interface FileView {
  /** data-status: the record's status kind, or 'preparing' / 'missing' without a record. */
  readonly status: string;
  readonly name: string;
  readonly size: number | undefined;
  /** One sentence about where the transfer stands (announced when it changes). */
  readonly label: string;
  readonly actions: readonly FileAction[];
  /** Present while a bar makes sense. */
  readonly progress?: { readonly bytes: number; readonly size: number; readonly line: string };
  readonly preview: PreviewKind;
  readonly canSave: boolean;
  /** A complete file still stored here: the user may delete it (FileTransfers.removeFile). */
  readonly canRemove: boolean;
  readonly failed: boolean;
}

/** Bytes the record vouches for: verified (receiver) or acknowledged (sender) chunks. */
export function checkpointBytes(r: TransferRecord): number {
  return Math.min(r.meta.size, r.verified * r.meta.chunkSize);
}

function statusWords(r: TransferRecord, connected: boolean): [string, FileAction[]] {
  const out = r.direction === 'send';
  const s = r.status;
  switch (s.kind) {
    case 'offered':
      if (!out) return ['Wants to send you this file.', ['accept', 'decline']];
      return [
        connected ? 'Waiting for them to accept.' : 'Will be offered when connected.',
        ['cancel'],
      ];
    case 'active':
      if (!connected) return ['Waiting for the connection…', ['pause', 'cancel']];
      return [out ? 'Sending…' : 'Receiving…', ['pause', 'cancel']];
    case 'paused':
      if (s.by === 'remote') return ['Paused by the other side.', ['pause', 'cancel']];
      return [s.by === 'both' ? 'Paused on both sides.' : 'Paused.', ['resume', 'cancel']];
    case 'verifying':
      return ['Checking the file…', []];
    case 'complete':
      if (r.removed) {
        return [
          out ? 'Sent. Deleted from this browser.' : 'Received. Deleted from this browser.',
          [],
        ];
      }
      return [out ? 'Sent.' : 'Received.', []];
    case 'declined':
      return [s.by === 'local' ? 'You declined this file.' : 'Declined.', []];
    case 'cancelled':
      if (s.code === 3000) {
        return [
          out
            ? 'Not sent: larger than the recipient accepts.'
            : 'Declined automatically: larger than your maximum file size.',
          [],
        ];
      }
      if (s.code === 3005) {
        return [s.by === 'local' ? 'Cancelled.' : 'Cancelled by the other side.', []];
      }
      return [`Stopped: ${codeText(s.code)}.`, []];
    case 'failed':
      return [`Failed: ${codeText(s.code)}.`, ['retry', 'cancel']];
  }
}

const SHOWS_BAR: ReadonlySet<string> = new Set(['active', 'paused', 'verifying', 'failed']);

export function fileView(
  direction: 'in' | 'out',
  name: string,
  entry: TransferEntry | undefined,
  connected: boolean,
): FileView {
  const r = entry?.record;
  if (!r) {
    const p = entry?.preparing;
    if (p?.kind === 'copying') {
      return {
        status: 'preparing',
        name,
        size: p.size,
        label: 'Preparing…',
        actions: ['cancel'],
        progress: {
          bytes: p.bytes,
          size: p.size,
          line: progressLine(p.bytes, p.size, undefined, undefined),
        },
        preview: 'none',
        canSave: false,
        canRemove: false,
        failed: false,
      };
    }
    const cancelled = p?.kind === 'failed' && p.code === 3005;
    const label = cancelled
      ? 'You cancelled this file before it was offered.'
      : p?.kind === 'failed'
        ? `Could not prepare the file: ${codeText(p.code)}.`
        : direction === 'out'
          ? 'Not sent: the page closed while the file was being prepared. Attach it again.'
          : 'This file is no longer available.';
    return {
      status: cancelled ? 'cancelled' : p?.kind === 'failed' ? 'preparing-failed' : 'missing',
      name,
      size: undefined,
      label,
      actions: [],
      preview: 'none',
      canSave: false,
      canRemove: false,
      failed: p?.kind === 'failed',
    };
  }
  const [label, actions] = statusWords(r, connected);
  const live = entry?.progress;
  const bytes = live?.bytes ?? checkpointBytes(r);
  const size = r.meta.size;
  // A deleted file is gone from storage: nothing to preview, save or delete.
  const complete = r.status.kind === 'complete' && r.removed !== true;
  const view: FileView = {
    status: r.status.kind,
    name: r.meta.name,
    size,
    label,
    actions,
    preview: complete ? previewKind(r.meta.mime) : 'none',
    // Received data is offered only once its SHA-256 matched: that is what 'complete' means.
    canSave: complete && r.direction === 'receive',
    canRemove: complete,
    failed: r.status.kind === 'failed',
  };
  if (!SHOWS_BAR.has(r.status.kind)) return view;
  return {
    ...view,
    progress: { bytes, size, line: progressLine(bytes, size, live?.rate, live?.eta) },
  };
}
