// A sender that lies or misbehaves: wrong digest, and chunks a correct sender never sends. The
// transfer fails with a typed error; the session and the other transfers carry on.

import { describe, expect, it } from 'vitest';
import type { Message } from '../message-types.ts';
import type { PeerSession } from '../session.ts';
import type { Session, SessionEvents } from '../session-types.ts';
import { MAX_RECEIVE_BACKLOG, newTransferId, streamIdOf } from './constants.ts';
import {
  drive,
  fileBytes,
  link,
  MemoryStorage,
  makeSide,
  metaFor,
  nextOffer,
  offerFile,
  recordWhere,
  sameBytes,
  status,
  viewOf,
} from './test-support.ts';
import { offerPayload } from './wire.ts';

const CHUNK = 1024;

describe('lying hash', () => {
  it('the digest differs from the offer: failed 3004, the bytes stay; retry fails again', async () => {
    const l = await link();
    const a = makeSide('bob');
    const b = makeSide('alice');
    a.engine.attach(l.a);
    b.engine.attach(l.b);
    const bytes = fileBytes(5_000);
    const put = (i: string, d: Uint8Array) => a.storage.files.set(i, d);
    const lie = { meta: { sha256: 'ab'.repeat(32) } };
    const { id } = await offerFile(l.clock, a.engine, b.engine, put, bytes, CHUNK, lie);
    const failed = await drive(l.clock, recordWhere(b.engine, id, status('failed')));
    expect(failed.status).toMatchObject({ kind: 'failed', code: 3004 });
    expect(failed.verified).toBe(5);
    expect(sameBytes(b.storage.files.get(id), bytes)).toBe(true);
    expect(b.errors).toEqual([{ id, code: 3004 }]);
    // The sender was told to stop (file_pause): it is paused by the receiver, not complete.
    const sender = await drive(l.clock, recordWhere(a.engine, id, status('paused')));
    expect(sender.status).toEqual({ kind: 'paused', by: 'remote' });
    // Retry starts from byte 0 with a fresh hash: the same lie fails the same way.
    const before = b.storage.files.get(id)?.length;
    await drive(l.clock, b.engine.retry(id));
    await drive(l.clock, recordWhere(b.engine, id, status('failed')));
    expect(before).toBe(5_000);
    expect(b.errors).toEqual([
      { id, code: 3004 },
      { id, code: 3004 },
    ]);
    expect(a.storage.reads.length).toBe(10);
    expect(l.b.state.name).toBe('connected');
  });
});

/** Hides the messages about `hidden` from A's engine: the test plays that transfer by hand. */
function hiding(s: PeerSession, hidden: string): Session {
  const on = <K extends keyof SessionEvents>(event: K, l: (v: SessionEvents[K]) => void) =>
    s.on(event, (v) => {
      const m = v as Message;
      if (
        event === 'message' &&
        m.type.startsWith('file_') &&
        (m.payload as { id?: string }).id === hidden
      )
        return;
      l(v);
    });
  return viewOf(s, { on });
}

type Case =
  | 'duplicate'
  | 'ahead'
  | 'past the end'
  | 'wrong length'
  | 'unknown stream'
  | 'not accepted';

describe('bad chunks from a hostile sender', () => {
  it.each<[Case, number]>([
    ['duplicate', 3003],
    ['ahead', 3003],
    ['past the end', 3003],
    ['wrong length', 3003],
    ['unknown stream', 3002],
    ['not accepted', 3002],
  ])('%s → %i; the session and the other transfer go on', async (kind, code) => {
    const l = await link();
    const evil = newTransferId();
    const a = makeSide('bob');
    const b = makeSide('alice');
    a.engine.attach(hiding(l.a, evil));
    b.engine.attach(l.b);
    // An honest transfer alongside.
    const good = fileBytes(300_000, 5);
    const goodId = newTransferId();
    a.storage.files.set(goodId, good);
    const goodOffer = nextOffer(b.engine);
    await drive(l.clock, a.engine.offer(metaFor(goodId, good, 16_384)));
    await drive(l.clock, goodOffer);
    // The hand-played one: 3 chunks of 1024, the last 452 bytes.
    const bytes = fileBytes(2_500, 6);
    const meta = metaFor(evil, bytes, CHUNK);
    const fromB: Message[] = [];
    l.a.on('message', (m) => fromB.push(m));
    await drive(l.clock, l.a.send({ type: 'file_offer', payload: offerPayload(meta) }));
    await drive(l.clock, recordWhere(b.engine, evil, status('offered')));
    const sid = streamIdOf(evil);
    const chunk = (i: number) => bytes.slice(i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
    if (kind !== 'not accepted') {
      await drive(l.clock, b.engine.accept(evil));
      await drive(l.clock, l.a.send({ type: 'file_start', payload: { id: evil, from: 0 } }));
    }
    await drive(l.clock, b.engine.accept(goodId));
    const send = (id: Uint8Array, i: number, d: Uint8Array) =>
      drive(l.clock, l.a.sendBinary(id, i, d));
    if (kind === 'duplicate') {
      await send(sid, 0, chunk(0));
      await send(sid, 0, chunk(0));
    } else if (kind === 'ahead') await send(sid, 1, chunk(1));
    else if (kind === 'past the end') {
      await send(sid, 0, chunk(0));
      await send(sid, 3, chunk(1));
    } else if (kind === 'wrong length') await send(sid, 0, chunk(0).subarray(1));
    else if (kind === 'unknown stream') await send(streamIdOf(newTransferId()), 0, chunk(0));
    else await send(sid, 0, chunk(0));
    await drive(l.clock, recordWhere(b.engine, goodId, status('complete')));
    expect(sameBytes(b.storage.files.get(goodId), good)).toBe(true);
    expect(b.errors.map((e) => e.code)).toEqual([code]);
    expect(l.a.state.name).toBe('connected');
    expect(l.b.state.name).toBe('connected');
    const evilRecord = b.engine.records().find((r) => r.meta.id === evil);
    if (code === 3003) {
      expect(evilRecord?.status).toMatchObject({ kind: 'failed', code: 3003 });
      expect(evilRecord?.verified).toBe(kind === 'duplicate' || kind === 'past the end' ? 1 : 0);
      expect(fromB.some((m) => m.type === 'file_pause' && m.payload.id === evil)).toBe(true);
    } else {
      expect(evilRecord?.status.kind).toBe(kind === 'not accepted' ? 'offered' : 'active');
      expect(b.engine.stats().unsolicitedChunks).toBe(1);
    }
  });
});

describe('a lying receiver', () => {
  it('a file_ack beyond the chunks sent is ignored: no false progress, the window holds', async () => {
    const l = await link();
    const window = 64 * 1024;
    const a = makeSide('bob', undefined, { window, highWaterMark: 32 * 1024, lowWaterMark: 8192 });
    let sent = 0;
    a.engine.attach(
      viewOf(l.a, {
        sendBinary: (sid, index, data) => {
          sent++;
          return l.a.sendBinary(sid, index, data);
        },
      }),
    );
    const bytes = fileBytes(1024 * 1024, 11);
    const id = newTransferId();
    a.storage.files.set(id, bytes);
    const n = bytes.length / 4096;
    // B is played by hand: accept, and at file_start claim the whole file.
    const started = new Promise<void>((resolve) =>
      l.b.on('message', (m) => {
        if (m.type === 'file_offer')
          void l.b.send({ type: 'file_accept', payload: { id, from: 0 } });
        if (m.type === 'file_start') {
          void l.b.send({ type: 'file_ack', payload: { id, next: n } });
          resolve();
        }
      }),
    );
    await drive(l.clock, a.engine.offer(metaFor(id, bytes, 4096)));
    await drive(l.clock, started);
    await drive(l.clock, new Promise<void>((r) => l.clock.setTimeout(r, 2_000)));
    expect(a.engine.records()[0]?.verified).toBe(0);
    expect(a.engine.records()[0]?.status).toEqual({ kind: 'active' });
    expect(sent).toBe(window / 4096);
    expect(l.a.state.name).toBe('connected');
  });
});

describe('a sender ignoring the window', () => {
  it('while the disk stalls, the backlog stops at 32 MiB: chunks dropped, 3003, session up', async () => {
    const l = await link();
    // B's disk hangs until released: every chunk from now on waits in B's queue.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const storage = new MemoryStorage();
    const openSink = storage.openSink.bind(storage);
    storage.openSink = async (id) => {
      const sink = await openSink(id);
      return { ...sink, write: async (o, d) => gate.then(() => sink.write(o, d)) };
    };
    const b = makeSide('alice', storage);
    b.engine.attach(l.b);
    const chunkSize = 65_472;
    const n = 600; // 37.5 MiB: more than MAX_RECEIVE_BACKLOG, ignoring any window
    const id = newTransferId();
    const meta = {
      id,
      name: 'flood.bin',
      size: n * chunkSize,
      mime: '',
      sha256: '00'.repeat(32),
      chunkSize,
    };
    await drive(l.clock, l.a.send({ type: 'file_offer', payload: offerPayload(meta) }));
    await drive(l.clock, recordWhere(b.engine, id, status('offered')));
    await drive(l.clock, b.engine.accept(id));
    await drive(l.clock, l.a.send({ type: 'file_start', payload: { id, from: 0 } }));
    const sid = streamIdOf(id);
    const data = new Uint8Array(chunkSize);
    for (let i = 0; i < n; i++) await drive(l.clock, l.a.sendBinary(sid, i, data));
    // The first chunk is out of the backlog (its write is the one stalled); 512 wait behind it.
    const kept = 1 + Math.floor(MAX_RECEIVE_BACKLOG / chunkSize);
    expect(b.engine.stats().overrunChunks).toBe(n - kept);
    release();
    const failed = await drive(l.clock, recordWhere(b.engine, id, status('failed')));
    expect(failed.status).toMatchObject({ kind: 'failed', code: 3003 });
    expect(failed.verified).toBeLessThanOrEqual(kept);
    expect(b.errors.map((e) => e.code)).toEqual([3003]);
    expect(l.a.state.name).toBe('connected');
    expect(l.b.state.name).toBe('connected');
  });
});
