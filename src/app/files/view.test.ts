import { describe, expect, it } from 'vitest';
import type { TransferRecord, TransferStatus } from './engine.ts';
import { checkpointBytes, errorText, fileView } from './view.ts';

const ID = 'ab'.repeat(16);

function record(
  direction: 'send' | 'receive',
  status: TransferStatus,
  over: Partial<TransferRecord> = {},
): TransferRecord {
  return {
    meta: {
      id: ID,
      name: 'cat.png',
      size: 4_500_000,
      mime: 'image/png',
      sha256: '00'.repeat(32),
      chunkSize: 65_472,
    },
    contact: 'cd'.repeat(32),
    direction,
    status,
    verified: 0,
    paused: { local: false, remote: false },
    messageId: 'ef'.repeat(16),
    createdAt: 1,
    updatedAt: 2,
    ...over,
  };
}

describe('fileView', () => {
  it('lets the receiver answer an offer, and the sender only cancel it', () => {
    const incoming = fileView(
      'in',
      'cat.png',
      { record: record('receive', { kind: 'offered' }) },
      true,
    );
    expect(incoming.status).toBe('offered');
    expect(incoming.actions).toEqual(['accept', 'decline']);
    expect(incoming.progress).toBeUndefined();
    expect(incoming.canSave).toBe(false);
    const outgoing = fileView(
      'out',
      'cat.png',
      { record: record('send', { kind: 'offered' }) },
      false,
    );
    expect(outgoing.actions).toEqual(['cancel']);
    expect(outgoing.label).toBe('Will be offered when connected.');
  });

  it('shows live progress while active, the checkpoint otherwise', () => {
    const r = record('receive', { kind: 'active' }, { verified: 10 });
    const live = fileView(
      'in',
      'cat.png',
      { record: r, progress: { bytes: 1_200_000, size: 4_500_000, rate: 2_300_000, eta: 1.4 } },
      true,
    );
    expect(live.label).toBe('Receiving…');
    expect(live.actions).toEqual(['pause', 'cancel']);
    expect(live.progress).toEqual({
      bytes: 1_200_000,
      size: 4_500_000,
      line: '1.2 of 4.5 MB · 2.3 MB/s · 2 s left',
    });
    const checkpoint = fileView('in', 'cat.png', { record: r }, false);
    expect(checkpoint.label).toBe('Waiting for the connection…');
    expect(checkpoint.progress?.bytes).toBe(654_720);
  });

  it('offers Resume only to the side that paused', () => {
    const mine = fileView(
      'out',
      'x',
      { record: record('send', { kind: 'paused', by: 'local' }) },
      true,
    );
    expect(mine.actions).toEqual(['resume', 'cancel']);
    const theirs = fileView(
      'out',
      'x',
      { record: record('send', { kind: 'paused', by: 'remote' }) },
      true,
    );
    expect(theirs.label).toBe('Paused by the other side.');
    expect(theirs.actions).toEqual(['pause', 'cancel']);
    const both = fileView(
      'in',
      'x',
      { record: record('receive', { kind: 'paused', by: 'both' }) },
      true,
    );
    expect(both.actions).toEqual(['resume', 'cancel']);
  });

  it('offers Save and a preview only for a complete (hash-checked) received file', () => {
    const done = fileView('in', 'x', { record: record('receive', { kind: 'complete' }) }, true);
    expect(done.canSave).toBe(true);
    expect(done.preview).toBe('image');
    expect(done.progress).toBeUndefined();
    const verifying = fileView(
      'in',
      'x',
      { record: record('receive', { kind: 'verifying' }) },
      true,
    );
    expect(verifying.canSave).toBe(false);
    expect(verifying.preview).toBe('none');
    const sent = fileView('out', 'x', { record: record('send', { kind: 'complete' }) }, true);
    expect(sent.canSave).toBe(false);
    expect(sent.preview).toBe('image');
    expect(sent.label).toBe('Sent.');
  });

  it('offers Delete for a complete file on either side; a deleted one has no Save, preview or Delete', () => {
    const done = fileView('in', 'x', { record: record('receive', { kind: 'complete' }) }, true);
    expect(done.canRemove).toBe(true);
    const sent = fileView('out', 'x', { record: record('send', { kind: 'complete' }) }, true);
    expect(sent.canRemove).toBe(true);
    const active = fileView('in', 'x', { record: record('receive', { kind: 'active' }) }, true);
    expect(active.canRemove).toBe(false);
    const gone = { kind: 'complete' } as const;
    const received = fileView(
      'in',
      'x',
      { record: record('receive', gone, { removed: true }) },
      true,
    );
    expect(received).toMatchObject({
      status: 'complete',
      label: 'Received. Deleted from this browser.',
      actions: [],
      preview: 'none',
      canSave: false,
      canRemove: false,
    });
    const own = fileView('out', 'x', { record: record('send', gone, { removed: true }) }, true);
    expect(own).toMatchObject({ label: 'Sent. Deleted from this browser.', preview: 'none' });
  });

  it('explains failures and offers Retry', () => {
    const f = fileView(
      'in',
      'x',
      { record: record('receive', { kind: 'failed', code: 3004, detail: 'digest' }) },
      true,
    );
    expect(f.failed).toBe(true);
    expect(f.label).toBe('Failed: the received file does not match the original.');
    expect(f.actions).toEqual(['retry', 'cancel']);
    const storage = fileView(
      'in',
      'x',
      { record: record('receive', { kind: 'failed', code: 3008, detail: 'x' }) },
      true,
    );
    expect(storage.label).toBe('Failed: saving the file failed.');
  });

  it('words declines and cancellations by who did them', () => {
    const label = (d: 'send' | 'receive', s: TransferStatus) =>
      fileView(d === 'send' ? 'out' : 'in', 'x', { record: record(d, s) }, true).label;
    expect(label('receive', { kind: 'declined', by: 'local' })).toBe('You declined this file.');
    expect(label('send', { kind: 'declined', by: 'remote' })).toBe('Declined.');
    expect(label('send', { kind: 'cancelled', by: 'remote', code: 3000 })).toBe(
      'Not sent: larger than the recipient accepts.',
    );
    expect(label('receive', { kind: 'cancelled', by: 'local', code: 3000 })).toBe(
      'Declined automatically: larger than your maximum file size.',
    );
    expect(label('receive', { kind: 'cancelled', by: 'remote', code: 3005 })).toBe(
      'Cancelled by the other side.',
    );
    expect(label('send', { kind: 'cancelled', by: 'remote', code: 3007 })).toBe(
      'Stopped: the other side no longer knows this transfer.',
    );
  });

  it('covers the sender before the offer exists', () => {
    const preparing = fileView(
      'out',
      'big.iso',
      { preparing: { kind: 'copying', bytes: 1_000_000, size: 4_000_000, started: true } },
      true,
    );
    expect(preparing.status).toBe('preparing');
    expect(preparing.label).toBe('Preparing…');
    expect(preparing.progress?.line).toBe('1.0 of 4.0 MB');
    // A copy can be cancelled: a big file picked by mistake need not be copied to the end.
    expect(preparing.actions).toEqual(['cancel']);
    const cancelled = fileView(
      'out',
      'big.iso',
      { preparing: { kind: 'failed', code: 3005, detail: 'cancelled while preparing' } },
      true,
    );
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.label).toBe('You cancelled this file before it was offered.');
    expect(cancelled.actions).toEqual([]);
    const failed = fileView(
      'out',
      'big.iso',
      { preparing: { kind: 'failed', code: 3008, detail: 'QuotaExceededError' } },
      true,
    );
    expect(failed.status).toBe('preparing-failed');
    expect(failed.label).toBe('Could not prepare the file: saving the file failed.');
    const lost = fileView('out', 'big.iso', undefined, true);
    expect(lost.status).toBe('missing');
    expect(lost.name).toBe('big.iso');
  });

  it('caps checkpoint bytes at the size and words action errors', () => {
    expect(checkpointBytes(record('receive', { kind: 'active' }, { verified: 1000 }))).toBe(
      4_500_000,
    );
    expect(errorText({ code: 3001, detail: '' })).toBe('There is not enough storage space.');
    expect(errorText({ code: 0, detail: 'the action failed' })).toBe('The action failed.');
  });
});
