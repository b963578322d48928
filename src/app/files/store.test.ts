import { describe, expect, it } from 'vitest';
import type { TransferRecord, TransferStatus } from './engine.ts';
import { dropEntries, promisedBytes, setPreparing, setRecord } from './store.ts';

const CHUNK = 65_472;

function record(
  id: string,
  direction: 'send' | 'receive',
  status: TransferStatus,
  size: number,
  verified = 0,
): TransferRecord {
  return {
    meta: { id, name: 'f.bin', size, mime: '', sha256: '00'.repeat(32), chunkSize: CHUNK },
    contact: 'cd'.repeat(32),
    direction,
    status,
    verified,
    paused: { local: false, remote: false },
    messageId: 'ef'.repeat(16),
    createdAt: 1,
    updatedAt: 2,
  };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('promisedBytes: storage running transfers and copies still need', () => {
  it('counts the rest of running or paused incoming files and of copies in progress', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8].map(id);
    try {
      expect(promisedBytes()).toBe(0);
      // Running, 10 chunks verified: the rest is still to be written.
      setRecord(record(ids[0] as string, 'receive', { kind: 'active' }, 100 * CHUNK, 10));
      setRecord(
        record(ids[1] as string, 'receive', { kind: 'paused', by: 'remote' }, 5 * CHUNK, 5),
      );
      // Neither an open offer nor a finished, failed or outgoing transfer writes more.
      setRecord(record(ids[2] as string, 'receive', { kind: 'offered' }, 1e9));
      setRecord(
        record(ids[3] as string, 'receive', { kind: 'failed', code: 3004, detail: '' }, 1e9),
      );
      setRecord(record(ids[4] as string, 'send', { kind: 'active' }, 1e9));
      setRecord(record(ids[5] as string, 'receive', { kind: 'complete' }, 1e9, 15_275));
      setPreparing(ids[6] as string, { kind: 'copying', bytes: 1_000, size: 5_000, started: true });
      // A copy waiting behind the running one is checked when its turn comes, not before.
      setPreparing(ids[7] as string, { kind: 'copying', bytes: 0, size: 1e9, started: false });
      expect(promisedBytes()).toBe(90 * CHUNK + 4_000);
      // A file's own check leaves it out.
      expect(promisedBytes(ids[6])).toBe(90 * CHUNK);
      expect(promisedBytes(ids[0])).toBe(4_000);
    } finally {
      dropEntries(ids);
    }
    expect(promisedBytes()).toBe(0);
  });
});
