import { describe, expect, it } from 'vitest';
import { asMessageRecord, asSettingRecord, asTransferRecord } from './validate.ts';

const record = {
  meta: {
    id: 'ab'.repeat(16),
    name: 'cat.png',
    size: 10,
    mime: 'image/png',
    sha256: '01'.repeat(32),
    chunkSize: 65_472,
  },
  contact: 'cd'.repeat(32),
  direction: 'receive',
  status: { kind: 'paused', by: 'both' },
  verified: 0,
  paused: { local: true, remote: true },
  messageId: 'ef'.repeat(16),
  createdAt: 1,
  updatedAt: 2,
};

describe('transfer record validation', () => {
  it('accepts a well-formed record unchanged, with or without a hash snapshot', () => {
    expect(asTransferRecord(record)).toEqual(record);
    const hash = {
      words: [1, 2, 3, 4, 5, 6, 7, 0xffffffff],
      length: 64,
      pending: new Uint8Array(3),
    };
    expect(asTransferRecord({ ...record, hash })).toEqual({ ...record, hash });
    const removed = { ...record, status: { kind: 'complete' }, removed: true };
    expect(asTransferRecord(removed)).toEqual(removed);
  });

  it('accepts every status kind', () => {
    const statuses = [
      { kind: 'offered' },
      { kind: 'active' },
      { kind: 'verifying' },
      { kind: 'complete' },
      { kind: 'declined', by: 'remote' },
      { kind: 'cancelled', by: 'local', code: 3005 },
      { kind: 'failed', code: 3004, detail: 'digest' },
    ];
    for (const status of statuses) {
      expect(asTransferRecord({ ...record, status })?.status).toEqual(status);
    }
  });

  it('rejects malformed records', () => {
    const bad: unknown[] = [
      null,
      { ...record, meta: { ...record.meta, id: 'AB'.repeat(16) } },
      { ...record, meta: { ...record.meta, sha256: 'xyz' } },
      { ...record, meta: { ...record.meta, chunkSize: 0 } },
      { ...record, meta: { ...record.meta, size: -1 } },
      { ...record, contact: 'cd' },
      { ...record, direction: 'in' },
      { ...record, status: { kind: 'paused', by: 'nobody' } },
      { ...record, status: { kind: 'failed', code: 3004 } },
      { ...record, status: { kind: 'exploded' } },
      { ...record, verified: 1.5 },
      { ...record, removed: false },
      { ...record, removed: 'yes' },
      // Only a complete file can have been deleted.
      { ...record, removed: true },
      { ...record, paused: { local: true } },
      { ...record, hash: { words: [1], length: 0, pending: new Uint8Array(0) } },
      {
        ...record,
        hash: { words: [0, 0, 0, 0, 0, 0, 0, 0], length: 0, pending: new Uint8Array(64) },
      },
    ];
    for (const v of bad) expect(asTransferRecord(v)).toBeUndefined();
  });

  it('keeps the file id of a file message and the maximum file size setting', () => {
    const m = {
      id: 'm1',
      contact: 'cd'.repeat(32),
      direction: 'in',
      text: 'cat.png',
      timestamp: 5,
      state: 'delivered',
      file: 'ab'.repeat(16),
    };
    expect(asMessageRecord(m)).toEqual(m);
    expect(asMessageRecord({ ...m, file: 'nope' })).toBeUndefined();
    expect(asSettingRecord({ name: 'maxFileSize', value: 1024 })).toEqual({
      name: 'maxFileSize',
      value: 1024,
    });
    expect(asSettingRecord({ name: 'maxFileSize', value: 0 })).toBeUndefined();
    expect(asSettingRecord({ name: 'maxFileSize', value: '1' })).toBeUndefined();
  });
});
