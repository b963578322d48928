// End-to-end engine tests over two real sessions: chunking, answers to an offer, limits.

import { describe, expect, it } from 'vitest';
import type { DuplexPairOptions } from '../duplex.ts';
import { DEFAULT_CHUNK_SIZE, newTransferId } from './constants.ts';
import {
  drive,
  fileBytes,
  link,
  makeSide,
  metaFor,
  offerFile,
  recordWhere,
  sameBytes,
  status,
  viewOf,
} from './test-support.ts';
import { offerPayload } from './wire.ts';

async function setup(limitsB = {}, duplex: DuplexPairOptions = {}) {
  const l = await link(undefined, duplex);
  const a = makeSide('bob');
  const b = makeSide('alice', undefined, limitsB);
  a.engine.attach(l.a);
  b.engine.attach(l.b);
  return { l, a, b };
}

async function offerSized(
  s: Awaited<ReturnType<typeof setup>>,
  size: number,
  chunk = DEFAULT_CHUNK_SIZE,
) {
  const bytes = fileBytes(size, size + 7);
  const put = (i: string, d: Uint8Array) => s.a.storage.files.set(i, d);
  const opts = { accept: false };
  const { id, rec } = await offerFile(s.l.clock, s.a.engine, s.b.engine, put, bytes, chunk, opts);
  return { id, bytes, rec };
}

describe('chunking', () => {
  const C = DEFAULT_CHUNK_SIZE;
  it.each([0, 1, C - 1, C, C + 1, 3 * 1024 * 1024 + 5])('size %i arrives intact', async (size) => {
    const s = await setup();
    const { id, bytes, rec } = await offerSized(s, size);
    expect(rec.meta).toEqual(metaFor(id, bytes, C));
    await drive(s.l.clock, s.b.engine.accept(id));
    const got = await drive(s.l.clock, recordWhere(s.b.engine, id, status('complete')));
    const sent = await drive(s.l.clock, recordWhere(s.a.engine, id, status('complete')));
    expect(sameBytes(s.b.storage.files.get(id), bytes)).toBe(true);
    expect(got.verified).toBe(Math.ceil(size / C));
    expect(sent.verified).toBe(Math.ceil(size / C));
    // One chunk per read: never the whole file in memory.
    expect(Math.max(0, ...s.a.storage.reads)).toBeLessThanOrEqual(C);
    expect(s.a.errors).toEqual([]);
    expect(s.b.errors).toEqual([]);
    // Stored records are the final ones.
    expect(s.b.storage.records.get(id)?.status).toEqual({ kind: 'complete' });
    expect(s.a.storage.records.get(id)?.status).toEqual({ kind: 'complete' });
  });
});

describe('answers to an offer', () => {
  it('decline: both sides declined, the sender discards its copy', async () => {
    const s = await setup();
    const { id } = await offerSized(s, 1000);
    await drive(s.l.clock, s.b.engine.decline(id));
    const r = await drive(s.l.clock, recordWhere(s.a.engine, id, status('declined')));
    expect(r.status).toEqual({ kind: 'declined', by: 'remote' });
    expect(s.b.engine.records()[0]?.status).toEqual({ kind: 'declined', by: 'local' });
    expect(s.a.storage.discarded).toEqual([id]);
    expect(s.a.errors).toEqual([{ id, code: 3006 }]);
  });

  it.each(['sender', 'receiver'] as const)('cancel by the %s mid-transfer', async (who) => {
    // 1 MB/s: the 2 MiB file takes about 2 s of the fake clock, so the cancel lands mid-way.
    const s = await setup({}, { bytesPerSecond: 1_000_000 });
    const { id } = await offerSized(s, 2 * 1024 * 1024);
    await drive(s.l.clock, s.b.engine.accept(id));
    await drive(
      s.l.clock,
      recordWhere(s.b.engine, id, (r) => r.verified > 0),
    );
    const [me, peer] = who === 'sender' ? [s.a, s.b] : [s.b, s.a];
    await drive(s.l.clock, me.engine.cancel(id));
    const theirs = await drive(s.l.clock, recordWhere(peer.engine, id, status('cancelled')));
    expect(theirs.status).toEqual({ kind: 'cancelled', by: 'remote', code: 3005 });
    expect(me.engine.records()[0]?.status).toEqual({ kind: 'cancelled', by: 'local', code: 3005 });
    expect(peer.errors).toEqual([{ id, code: 3005 }]);
    expect(s.a.storage.discarded).toEqual([id]);
    expect(s.b.storage.discarded).toEqual([id]);
    expect(s.l.a.state.name).toBe('connected');
  });

  it('an offer over maxFileSize is refused on arrival (3000)', async () => {
    const s = await setup({ maxFileSize: 999 });
    const bytes = fileBytes(1000);
    const id = newTransferId();
    s.a.storage.files.set(id, bytes);
    await drive(s.l.clock, s.a.engine.offer(metaFor(id, bytes, 1024)));
    const r = await drive(s.l.clock, recordWhere(s.a.engine, id, status('cancelled')));
    expect(r.status).toEqual({ kind: 'cancelled', by: 'remote', code: 3000 });
    expect(s.b.engine.records()[0]?.status).toEqual({ kind: 'cancelled', by: 'local', code: 3000 });
    expect(s.b.errors).toEqual([{ id, code: 3000 }]);
    expect(s.a.errors).toEqual([{ id, code: 3000 }]);
  });

  it('the sender refuses to offer over its own maxFileSize (3000)', async () => {
    const a = makeSide('bob', undefined, { maxFileSize: 10 });
    const bytes = fileBytes(11);
    await expect(a.engine.offer(metaFor(newTransferId(), bytes, 1024))).rejects.toMatchObject({
      code: 3000,
    });
  });

  it('accept without the storage for it fails with 3001 and the offer stays open', async () => {
    const s = await setup();
    const { id } = await offerSized(s, 5000);
    s.b.storage.availableBytes = 4999;
    await expect(drive(s.l.clock, s.b.engine.accept(id))).rejects.toMatchObject({ code: 3001 });
    expect(s.b.engine.records()[0]?.status).toEqual({ kind: 'offered' });
    expect(s.b.errors).toEqual([{ id, code: 3001 }]);
    s.b.storage.availableBytes = 5000;
    await drive(s.l.clock, s.b.engine.accept(id));
    await drive(s.l.clock, recordWhere(s.b.engine, id, status('complete')));
  });

  it("a chunk_size over the peer's frames: the sender cancels with 3003 before reading, the receiver is told", async () => {
    // A peer whose max_frame leaves 1 500 bytes of BINARY data (PROTOCOL.md §13.2).
    const l = await link();
    const a = makeSide('bob');
    const b = makeSide('alice');
    a.engine.attach(viewOf(l.a, { maxBinaryChunk: 1_500 }));
    b.engine.attach(l.b);
    const bytes = fileBytes(5_000);
    const put = (i: string, d: Uint8Array) => a.storage.files.set(i, d);
    const { id } = await offerFile(l.clock, a.engine, b.engine, put, bytes, 2_048);
    const sent = await drive(l.clock, recordWhere(a.engine, id, status('cancelled')));
    expect(sent.status).toEqual({ kind: 'cancelled', by: 'local', code: 3003 });
    const got = await drive(l.clock, recordWhere(b.engine, id, status('cancelled')));
    expect(got.status).toEqual({ kind: 'cancelled', by: 'remote', code: 3003 });
    expect(a.errors).toEqual([{ id, code: 3003 }]);
    expect(a.storage.reads).toEqual([]);
    expect(a.storage.discarded).toEqual([id]);
    expect(l.a.state.name).toBe('connected');
  });

  it('removeFile deletes a complete file on either side and keeps the record; a late re-offer still gets file_done', async () => {
    const s = await setup();
    const { id } = await offerSized(s, 5_000, 1_024);
    await drive(s.l.clock, s.b.engine.accept(id));
    await drive(s.l.clock, recordWhere(s.a.engine, id, status('complete')));
    // Only a complete file that is still stored: nothing else is deleted, nothing is sent.
    const other = await offerSized(s, 3_000, 1_024);
    await expect(s.b.engine.removeFile(other.id)).rejects.toMatchObject({ code: 1015 });
    await expect(s.b.engine.removeFile(newTransferId())).rejects.toMatchObject({ code: 3007 });
    await drive(s.l.clock, s.b.engine.removeFile(id));
    await drive(s.l.clock, s.a.engine.removeFile(id));
    for (const side of [s.a, s.b]) {
      expect(side.storage.files.has(id)).toBe(false);
      expect(side.storage.discarded).toContain(id);
      const stored = side.storage.records.get(id);
      expect(stored?.status).toEqual({ kind: 'complete' });
      expect(stored?.removed).toBe(true);
      await expect(side.engine.removeFile(id)).rejects.toMatchObject({ code: 1015 });
    }
    expect(s.b.storage.files.has(other.id)).toBe(false);
    expect(s.a.storage.files.has(other.id)).toBe(true);
    // The sender lost file_done (say) and offers again under the same id: the receiver answers
    // from its record, without the file.
    const done = new Promise((resolve) => {
      s.l.a.on('message', (m) => {
        if (m.type === 'file_done') resolve(m.payload);
      });
    });
    const rec = s.a.engine.records().find((r) => r.meta.id === id);
    if (!rec) throw new Error('no record');
    await drive(s.l.clock, s.l.a.send({ type: 'file_offer', payload: offerPayload(rec.meta) }));
    expect(await drive(s.l.clock, done)).toEqual({ id });
    expect(s.b.errors).toEqual([]);
    expect(s.l.b.state.name).toBe('connected');
  });

  it('messages about an unknown id are answered with file_cancel 3007', async () => {
    const s = await setup();
    const id = newTransferId();
    const answer = new Promise((resolve) => {
      s.l.a.on('message', (m) => {
        if (m.type === 'file_cancel') resolve(m.payload);
      });
    });
    await drive(s.l.clock, s.l.a.send({ type: 'file_accept', payload: { id, from: 0 } }));
    expect(await drive(s.l.clock, answer)).toEqual({ id, code: 3007 });
    expect(s.b.errors).toEqual([{ id, code: 3007 }]);
    // A file_cancel for nothing is ignored, not answered.
    await drive(s.l.clock, s.l.a.send({ type: 'file_cancel', payload: { id, code: 3005 } }));
    await drive(s.l.clock, s.l.a.send({ type: 'text', payload: { text: 'sync' } }));
    expect(s.b.errors).toEqual([{ id, code: 3007 }]);
    await expect(s.b.engine.accept(id)).rejects.toMatchObject({ code: 3007 });
  });
});
