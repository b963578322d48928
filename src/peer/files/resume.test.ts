// Resuming after a lost session: a new session (and optionally new engines loaded from the
// saved records, i.e. a page reload) continues from the last checkpoint with the right digest.

import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock.ts';
import type { Session } from '../session-types.ts';
import { disconnected } from '../test-support.ts';
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

const KiB = 1024;
const CHUNK = 16 * KiB;
const SIZE = 1024 * KiB; // 64 chunks
const LIMITS = {
  highWaterMark: 128 * KiB,
  lowWaterMark: 32 * KiB,
  window: 256 * KiB,
  ackEvery: 64 * KiB,
};
const DUPLEX = { bytesPerSecond: 1_000_000, latencyMs: 10 };

type Variant = 'both' | 'receiver-initiated' | 'sender-initiated' | 'reload';

/** The receiver's file_accept waits until the sender's re-offer has arrived: it answers it. */
function answerOnly(s: Session): Session {
  let offerSeen = false;
  const held: (() => void)[] = [];
  s.on('message', (m) => {
    if (m.type !== 'file_offer') return;
    offerSeen = true;
    for (const f of held.splice(0)) f();
  });
  return viewOf(s, {
    send: (msg, o) => {
      if (msg.type !== 'file_accept' || offerSeen) return s.send(msg, o);
      return new Promise((resolve, reject) =>
        held.push(() => s.send(msg, o).then(resolve, reject)),
      );
    },
  });
}

/** The sender never re-offers: only the receiver's accept can resume. */
function noReoffer(s: Session): Session {
  return viewOf(s, {
    send: (msg, o) => (msg.type === 'file_offer' ? Promise.resolve('') : s.send(msg, o)),
  });
}

describe('resume after the session is lost', () => {
  it.each<Variant>(['both', 'receiver-initiated', 'sender-initiated', 'reload'])(
    '%s',
    async (variant) => {
      const clock = createFakeClock();
      const l1 = await link(clock, DUPLEX);
      let a: Side = makeSide('bob', undefined, LIMITS, clock);
      let b: Side = makeSide('alice', undefined, LIMITS, clock);
      a.engine.attach(l1.a);
      b.engine.attach(l1.b);
      const bytes = fileBytes(SIZE, 9);
      const put = (i: string, d: Uint8Array) => a.storage.files.set(i, d);
      const { id } = await offerFile(clock, a.engine, b.engine, put, bytes, CHUNK);
      await drive(
        clock,
        recordWhere(b.engine, id, (r) => r.verified >= 16),
      );
      l1.fail();
      await drive(clock, Promise.all([disconnected(l1.a), disconnected(l1.b)]));
      const checkpoint = b.storage.records.get(id)?.verified ?? 0;
      expect(checkpoint).toBeGreaterThanOrEqual(16);
      expect(checkpoint).toBeLessThan(64);
      if (variant === 'reload') {
        a = makeSide('bob', a.storage, LIMITS, clock);
        b = makeSide('alice', b.storage, LIMITS, clock);
        expect(b.engine.records()[0]?.verified).toBe(checkpoint);
      }
      const l2 = await link(clock, DUPLEX, { a: l1.idA, b: l1.idB });
      const second: number[] = [];
      const counted = viewOf(l2.a, {
        sendBinary: (sid, index, data) => {
          second.push(index);
          return l2.a.sendBinary(sid, index, data);
        },
      });
      a.engine.attach(variant === 'receiver-initiated' ? noReoffer(counted) : counted);
      b.engine.attach(variant === 'sender-initiated' ? answerOnly(l2.b) : l2.b);
      const got = await drive(clock, recordWhere(b.engine, id, status('complete')));
      await drive(clock, recordWhere(a.engine, id, status('complete')));
      expect(got.verified).toBe(64);
      expect(sameBytes(b.storage.files.get(id), bytes)).toBe(true);
      // One run in the new session, from the checkpoint: no chunk before it, none twice.
      expect(second[0]).toBe(variant === 'reload' ? checkpoint : Math.min(...second));
      expect(Math.min(...second)).toBeGreaterThanOrEqual(checkpoint);
      expect(new Set(second).size).toBe(second.length);
      expect(second.length).toBe(64 - (second[0] ?? 0));
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    },
  );

  it('a chunk tampered on the wire closes the session (1003); the next one resumes', async () => {
    const clock = createFakeClock();
    let binary = 0;
    const l1 = await link(clock, {
      ...DUPLEX,
      tap: (d, from) => {
        // Frame type 0x03 = BINARY (PROTOCOL.md §3): flip one ciphertext bit of the 20th chunk.
        if (from !== 'a' || d[1] !== 0x03 || ++binary !== 20) return [d];
        const bad = d.slice();
        bad[100] = (bad[100] ?? 0) ^ 1;
        return [bad];
      },
    });
    const a = makeSide('bob', undefined, LIMITS, clock);
    const b = makeSide('alice', undefined, LIMITS, clock);
    a.engine.attach(l1.a);
    b.engine.attach(l1.b);
    const bytes = fileBytes(SIZE, 3);
    const put = (i: string, d: Uint8Array) => a.storage.files.set(i, d);
    const { id } = await offerFile(clock, a.engine, b.engine, put, bytes, CHUNK);
    const end = await drive(clock, disconnected(l1.b));
    expect(end.reason).toMatchObject({ code: 1003, by: 'local' });
    const checkpoint = b.storage.records.get(id)?.verified ?? 0;
    // Chunks 0–18 passed; the receiver checkpointed them when the session went.
    expect(checkpoint).toBe(19);
    const l2 = await link(clock, DUPLEX, { a: l1.idA, b: l1.idB });
    a.engine.attach(l2.a);
    b.engine.attach(l2.b);
    await drive(clock, recordWhere(b.engine, id, status('complete')));
    expect(sameBytes(b.storage.files.get(id), bytes)).toBe(true);
    expect(b.errors).toEqual([]);
  });
});
