// Flow control and scheduling over a rate-limited link on a fake clock: the channel buffer and
// the unacknowledged window stay bounded, chat is not starved, transfers share the link.

import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { createFakeClock } from '../clock.ts';
import type { Session } from '../session-types.ts';
import {
  drive,
  fileBytes,
  link,
  makeSide,
  offerFile,
  recordWhere,
  type Side,
  sameBytes,
  status,
  viewOf,
} from './test-support.ts';
import type { TransferLimits } from './types.ts';

const KiB = 1024;
const CHUNK = 16 * KiB;
const MAX_FRAME = 65_535;
const RATE = 1_000_000; // bytes per second, each direction
const LIMITS: Partial<TransferLimits> = {
  highWaterMark: 128 * KiB,
  lowWaterMark: 32 * KiB,
  window: 256 * KiB,
  ackEvery: 64 * KiB,
};

interface Rig {
  readonly l: Awaited<ReturnType<typeof link>>;
  readonly a: Side;
  readonly b: Side;
  /** Every chunk A's engine handed to its session: [transfer id, index]. */
  readonly sent: [string, number][];
  /** bufferedAmount of A's channel right after each message it sent. */
  readonly buffered: number[];
  /** At each chunk handed to the session: its transfer's bytes sent but not acknowledged. */
  readonly inFlight: number[];
}

async function rig(latencyMs = 10, limits = LIMITS): Promise<Rig> {
  const buffered: number[] = [];
  let sessionA: Session | undefined;
  const clock = createFakeClock();
  const l = await link(clock, {
    bytesPerSecond: RATE,
    latencyMs,
    tap: (d, from) => {
      if (from === 'a' && sessionA) buffered.push(sessionA.bufferedAmount + d.length);
      return [d];
    },
  });
  sessionA = l.a;
  const sent: [string, number][] = [];
  const inFlight: number[] = [];
  const a = makeSide('bob', undefined, limits, clock);
  const viewA = viewOf(l.a, {
    sendBinary: (sid, index, data) => {
      const id = toHex(sid);
      sent.push([id, index]);
      const acked = a.engine.records().find((x) => x.meta.id === id)?.verified ?? 0;
      inFlight.push(index * CHUNK + data.length - acked * CHUNK);
      return l.a.sendBinary(sid, index, data);
    },
  });
  const b = makeSide('alice', undefined, limits, clock);
  a.engine.attach(viewA);
  b.engine.attach(l.b);
  return { l, a, b, sent, buffered, inFlight };
}

async function offer(r: Rig, size: number, seed = 1) {
  const bytes = fileBytes(size, seed);
  const put = (i: string, d: Uint8Array) => r.a.storage.files.set(i, d);
  const { id } = await offerFile(r.l.clock, r.a.engine, r.b.engine, put, bytes, CHUNK, {
    accept: false,
  });
  return { id, bytes };
}

describe('flow control', () => {
  it('bufferedAmount ≤ highWaterMark + one frame; unacknowledged bytes ≤ window', async () => {
    const r = await rig(50);
    const { id, bytes } = await offer(r, 2 * 1024 * KiB);
    await drive(r.l.clock, r.b.engine.accept(id));
    await drive(r.l.clock, recordWhere(r.b.engine, id, status('complete')));
    expect(sameBytes(r.b.storage.files.get(id), bytes)).toBe(true);
    const maxBuffered = Math.max(...r.buffered);
    expect(maxBuffered).toBeLessThanOrEqual((LIMITS.highWaterMark ?? 0) + MAX_FRAME);
    // The limit was actually reached, so the bound above means something.
    expect(maxBuffered).toBeGreaterThan((LIMITS.highWaterMark ?? 0) / 2);
    const maxInFlight = Math.max(...r.inFlight);
    expect(maxInFlight).toBeLessThanOrEqual(LIMITS.window ?? 0);
    // The window was the limit at times (50 ms latency delays the acks).
    expect(maxInFlight).toBeGreaterThan((LIMITS.window ?? 0) - CHUNK);
  });

  it('a chat message sent mid-transfer arrives within (HWM + 3 frames)/rate + latency', async () => {
    const latency = 10;
    // A window far above the high-water mark: only the channel limit can keep chat fast.
    const r = await rig(latency, { ...LIMITS, window: 4 * 1024 * KiB });
    const { id } = await offer(r, 2 * 1024 * KiB);
    await drive(r.l.clock, r.b.engine.accept(id));
    await drive(
      r.l.clock,
      recordWhere(r.b.engine, id, (x) => x.verified >= 16),
    );
    const arrived = new Promise<number>((resolve) => {
      r.l.b.on('message', (m) => {
        if (m.type === 'text') resolve(r.l.clock.now());
      });
    });
    const sentAt = r.l.clock.now();
    void r.l.a.send({ type: 'text', payload: { text: 'hi while sending' } });
    const delay = (await drive(r.l.clock, arrived)) - sentAt;
    // Ahead of the message: at most highWaterMark + one frame in the channel and two chunk
    // frames queued in the session; a 256-byte padded text frame after them.
    const bound = (((LIMITS.highWaterMark ?? 0) + 3 * MAX_FRAME + 300) * 1000) / RATE + latency;
    expect(delay).toBeLessThanOrEqual(bound);
    // …while the file itself needs far longer than the bound: it did not just finish first.
    const b = await drive(r.l.clock, recordWhere(r.b.engine, id, status('complete')));
    expect(b.updatedAt - sentAt).toBeGreaterThan(3 * bound);
  });

  it('two transfers share the link chunk by chunk', async () => {
    const r = await rig();
    const x = await offer(r, 512 * KiB, 1);
    const y = await offer(r, 512 * KiB, 2);
    await drive(r.l.clock, Promise.all([r.b.engine.accept(x.id), r.b.engine.accept(y.id)]));
    await drive(
      r.l.clock,
      Promise.all([
        recordWhere(r.b.engine, x.id, status('complete')),
        recordWhere(r.b.engine, y.id, status('complete')),
      ]),
    );
    const ids = r.sent.map(([sid]) => sid);
    const firstY = ids.indexOf(y.id);
    const lastX = ids.lastIndexOf(x.id);
    expect(firstY).toBeGreaterThanOrEqual(0);
    expect(firstY).toBeLessThan(lastX);
    // Round-robin: while both have chunks to send, they alternate strictly.
    for (let i = firstY + 1; i <= lastX; i++) expect(ids[i]).not.toBe(ids[i - 1]);
    expect(sameBytes(r.b.storage.files.get(x.id), x.bytes)).toBe(true);
    expect(sameBytes(r.b.storage.files.get(y.id), y.bytes)).toBe(true);
  });
});

type Sent = Parameters<Session['send']>[0];

/**
 * A sender and a receiver on a fresh link; every message the receiver sends goes to `seen`.
 * Offers a 1 MiB file and returns its id, not yet accepted.
 */
async function watchedReceiver(limits: Partial<TransferLimits>, seen: (m: Sent) => void) {
  const clock = createFakeClock();
  const l = await link(clock, { bytesPerSecond: RATE, latencyMs: 10 });
  const a = makeSide('bob', undefined, limits, clock);
  const b = makeSide('alice', undefined, limits, clock);
  a.engine.attach(l.a);
  b.engine.attach(
    viewOf(l.b, {
      send: (m, o) => {
        seen(m);
        return l.b.send(m, o);
      },
    }),
  );
  const bytes = fileBytes(1024 * KiB, 4);
  const put = (i: string, d: Uint8Array) => a.storage.files.set(i, d);
  const { id } = await offerFile(clock, a.engine, b.engine, put, bytes, CHUNK, { accept: false });
  return { clock, b, id, bytes };
}

describe('acknowledgements', () => {
  it('come at least every ackEvery bytes (§13.5), and not much more often', async () => {
    const ackEvery = 100 * KiB;
    const acks: number[] = [];
    const { clock, b, id, bytes } = await watchedReceiver({ ...LIMITS, ackEvery }, (m) => {
      if (m.type === 'file_ack') acks.push(m.payload.next);
    });
    await drive(clock, b.engine.accept(id));
    await drive(clock, recordWhere(b.engine, id, status('complete')));
    const n = Math.ceil(bytes.length / CHUNK);
    expect(acks.at(-1)).toBe(n);
    const gaps = acks.map((next, i) => (next - (i === 0 ? 0 : (acks[i - 1] ?? 0))) * CHUNK);
    for (const g of gaps) expect(g).toBeLessThanOrEqual(ackEvery);
    // All but the last (which closes the file) come within one chunk of the limit.
    for (const g of gaps.slice(0, -1)) expect(g).toBeGreaterThan(ackEvery - CHUNK);
  });
});

describe('pause and resume', () => {
  it('a transfer cancelled while paused is not resumed: resume() refuses, no file_accept goes', async () => {
    const fromB: string[] = [];
    const { clock, b, id } = await watchedReceiver(LIMITS, (m) => fromB.push(m.type));
    await drive(clock, b.engine.accept(id));
    await drive(
      clock,
      recordWhere(b.engine, id, (x) => x.verified >= 2),
    );
    await drive(clock, b.engine.pause(id));
    await drive(clock, b.engine.cancel(id));
    expect(b.engine.records()[0]?.status).toMatchObject({ kind: 'cancelled', by: 'local' });
    const accepts = fromB.filter((t) => t === 'file_accept').length;
    await expect(drive(clock, b.engine.resume(id))).rejects.toMatchObject({ code: 1015 });
    expect(fromB.filter((t) => t === 'file_accept').length).toBe(accepts);
    expect(fromB).not.toContain('file_resume');
    expect(b.engine.records()[0]?.status).toMatchObject({ kind: 'cancelled', by: 'local' });
  });

  it.each(['sender', 'receiver'] as const)('by the %s', async (who) => {
    const r = await rig();
    const { id, bytes } = await offer(r, 1024 * KiB);
    await drive(r.l.clock, r.b.engine.accept(id));
    await drive(
      r.l.clock,
      recordWhere(r.b.engine, id, (x) => x.verified >= 8),
    );
    const [me, peer] = who === 'sender' ? [r.a, r.b] : [r.b, r.a];
    await drive(r.l.clock, me.engine.pause(id));
    expect(me.engine.records()[0]?.status).toEqual({ kind: 'paused', by: 'local' });
    const theirs = await drive(r.l.clock, recordWhere(peer.engine, id, status('paused')));
    expect(theirs.status).toEqual({ kind: 'paused', by: 'remote' });
    // Once the sender knows, no further chunk leaves it.
    await drive(r.l.clock, recordWhere(r.a.engine, id, status('paused')));
    const sentAtPause = r.sent.length;
    const stop = r.l.clock.now() + 2_000;
    await drive(
      r.l.clock,
      new Promise<void>((res) => r.l.clock.setTimeout(res, stop - r.l.clock.now())),
    );
    expect(r.sent.length).toBe(sentAtPause);
    expect(r.b.engine.records()[0]?.status.kind).toBe('paused');
    await drive(r.l.clock, me.engine.resume(id));
    await drive(r.l.clock, recordWhere(r.b.engine, id, status('complete')));
    await drive(r.l.clock, recordWhere(r.a.engine, id, status('complete')));
    expect(sameBytes(r.b.storage.files.get(id), bytes)).toBe(true);
    expect(r.b.errors).toEqual([]);
    expect(r.a.errors).toEqual([]);
  });
});
