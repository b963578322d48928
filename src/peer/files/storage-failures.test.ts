// Storage that fails under the engine (PROTOCOL.md §13.7, 3008): the sender cannot read its
// copy, the receiver cannot write or flush. One transfer stops with a typed error; the session,
// the other transfers and the last durable checkpoint are kept, and a retry finishes the file.

import { describe, expect, it } from 'vitest';
import { disconnected } from '../test-support.ts';
import { CHUNK, DUPLEX, type FaultSide, faultPair, LIMITS, sleep } from './test-faults.ts';
import {
  drive,
  fileBytes,
  link,
  offerFile,
  recordWhere,
  sameBytes,
  status,
} from './test-support.ts';
import type { TransferRecord } from './types.ts';

async function rig(limits = LIMITS) {
  const { clock, l, sa, sb, a, b } = await faultPair(limits);
  a.engine.attach(l.a);
  b.engine.attach(l.b);
  const offer = async (size: number, seed: number) => {
    const bytes = fileBytes(size, seed);
    const { id } = await offerFile(clock, a.engine, b.engine, sa.put.bind(sa), bytes, CHUNK);
    return { id, bytes };
  };
  return { clock, l, sa, sb, a, b, offer };
}

const rec = (s: FaultSide, id: string): TransferRecord | undefined =>
  s.engine.records().find((r) => r.meta.id === id);

describe('sender: FileSource.read rejects (the file is gone)', () => {
  it('3008 on both sides, the transfer is cancelled; the other one completes', async () => {
    const r = await rig();
    const x = await r.offer(200_000, 1);
    const y = await r.offer(100_000, 2);
    r.sa.faults.read = (id, offset) => id === x.id && offset >= 20 * CHUNK;
    const theirs = await drive(r.clock, recordWhere(r.b.engine, x.id, status('cancelled')));
    expect(theirs.status).toEqual({ kind: 'cancelled', by: 'remote', code: 3008 });
    expect(rec(r.a, x.id)?.status).toEqual({ kind: 'cancelled', by: 'local', code: 3008 });
    expect(r.a.errors).toEqual([{ id: x.id, code: 3008 }]);
    expect(r.b.errors).toEqual([{ id: x.id, code: 3008 }]);
    expect(r.sa.discarded).toEqual([x.id]);
    await drive(r.clock, recordWhere(r.b.engine, y.id, status('complete')));
    expect(sameBytes(r.sb.durableFile(y.id), y.bytes)).toBe(true);
    expect(r.l.a.state.name).toBe('connected');
    expect(r.l.b.state.name).toBe('connected');
  });
});

describe('receiver: FileSink fails', () => {
  // write+flush: the disk breaks at a write and the checkpoint after it fails too, so the
  // chunks hashed since the last checkpoint are not on disk: a retry must not resume after them.
  it.each(['write', 'flush', 'write+flush'] as const)(
    '%s rejects: failed 3008 at the last durable checkpoint; retry completes the file',
    async (what) => {
      const r = await rig();
      const x = await r.offer(300_000, 3);
      const y = await r.offer(100_000, 4);
      let broken = true;
      let hit = false;
      // Break the file at chunk 42 (between checkpoints every 4 chunks): a write, or the next checkpoint's flush.
      const fault = (id: string, offset = 42 * CHUNK) => {
        const now = broken && id === x.id && offset >= 42 * CHUNK;
        if (now) hit = true;
        return now;
      };
      if (what !== 'flush') r.sb.faults.write = (id, offset) => fault(id, offset);
      if (what === 'write+flush') r.sb.faults.flush = (id) => broken && hit && id === x.id;
      if (what === 'flush') {
        await drive(
          r.clock,
          recordWhere(r.b.engine, x.id, (z) => z.verified >= 40),
        );
        r.sb.faults.flush = (id) => fault(id);
      }
      const failed = await drive(r.clock, recordWhere(r.b.engine, x.id, status('failed')));
      expect(hit).toBe(true);
      expect(failed.status).toMatchObject({ kind: 'failed', code: 3008 });
      // The checkpoint is durable: the file holds every verified chunk.
      const durable = r.sb.durableFile(x.id) ?? new Uint8Array(0);
      const kept = failed.verified * CHUNK;
      expect(kept).toBeGreaterThan(0);
      expect(sameBytes(durable.subarray(0, kept), x.bytes.subarray(0, kept))).toBe(true);
      if (what === 'write') expect(failed.verified).toBe(42);
      if (what === 'write+flush') expect(failed.verified).toBe(40);
      expect(r.b.errors).toEqual([{ id: x.id, code: 3008 }]);
      // The sender was told to stop; the other transfer and the session are unaffected.
      await drive(r.clock, recordWhere(r.a.engine, x.id, status('paused')));
      await drive(r.clock, recordWhere(r.b.engine, y.id, status('complete')));
      expect(r.l.b.state.name).toBe('connected');
      broken = false;
      await drive(r.clock, r.b.engine.retry(x.id));
      await drive(r.clock, recordWhere(r.b.engine, x.id, status('complete')));
      await drive(r.clock, recordWhere(r.a.engine, x.id, status('complete')));
      expect(sameBytes(r.sb.durableFile(x.id), x.bytes)).toBe(true);
      expect(r.b.errors).toEqual([{ id: x.id, code: 3008 }]);
      expect(r.a.errors).toEqual([]);
    },
  );

  it('storage full (3001 from the storage) fails the file with 3001, not 3008; retry completes it', async () => {
    const r = await rig();
    const x = await r.offer(300_000, 7);
    let full = true;
    r.sb.faults.full = true;
    r.sb.faults.flush = (id) => full && id === x.id && (rec(r.b, x.id)?.verified ?? 0) >= 20;
    const failed = await drive(r.clock, recordWhere(r.b.engine, x.id, status('failed')));
    expect(failed.status).toMatchObject({ kind: 'failed', code: 3001 });
    expect(r.b.errors).toEqual([{ id: x.id, code: 3001 }]);
    await drive(r.clock, recordWhere(r.a.engine, x.id, status('paused')));
    expect(r.l.b.state.name).toBe('connected');
    full = false;
    await drive(r.clock, r.b.engine.retry(x.id));
    await drive(r.clock, recordWhere(r.b.engine, x.id, status('complete')));
    expect(sameBytes(r.sb.durableFile(x.id), x.bytes)).toBe(true);
  });

  it('flush rejects when the session ends: 3008 for that file, the other one resumes', async () => {
    // No checkpoint before the session ends (ackEvery above the file): the one at its end is
    // the first, and it fails for x.
    const r = await rig({ ...LIMITS, ackEvery: 1024 * 1024, window: 4 * 1024 * 1024 });
    const x = await r.offer(300_000, 5);
    const y = await r.offer(300_000, 6);
    await drive(r.clock, sleep(r.clock, 100));
    expect(rec(r.b, x.id)?.verified).toBe(0);
    let broken = true;
    r.sb.faults.flush = (id) => broken && id === x.id;
    const before = rec(r.b, x.id)?.verified ?? 0;
    r.l.fail();
    await drive(r.clock, Promise.all([disconnected(r.l.a), disconnected(r.l.b)]));
    const failed = await drive(r.clock, recordWhere(r.b.engine, x.id, status('failed')));
    expect(failed.status).toMatchObject({ kind: 'failed', code: 3008 });
    expect(failed.verified).toBe(before);
    expect(r.b.errors).toEqual([{ id: x.id, code: 3008 }]);
    const l2 = await link(r.clock, DUPLEX, { a: r.l.idA, b: r.l.idB });
    r.a.engine.attach(l2.a);
    r.b.engine.attach(l2.b);
    await drive(r.clock, recordWhere(r.b.engine, y.id, status('complete')));
    expect(sameBytes(r.sb.durableFile(y.id), y.bytes)).toBe(true);
    // The lost unflushed writes are sent again: retry resumes from the durable checkpoint.
    broken = false;
    await drive(r.clock, r.b.engine.retry(x.id));
    await drive(r.clock, recordWhere(r.b.engine, x.id, status('complete')));
    expect(sameBytes(r.sb.durableFile(x.id), x.bytes)).toBe(true);
  });
});
