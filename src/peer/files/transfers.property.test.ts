// Property tests of the file-transfer engine over real sessions (real Noise over the in-memory
// duplex, fake clock): whatever the file, chunk size and limits, and whatever happens during
// the transfer (links lost, pages reloaded with unflushed writes lost, pauses by either side,
// online or offline), the transfer completes and the receiver's durable bytes are the file.
// And random BINARY frames from a hostile peer never close the session nor stop honest
// transfers (PROTOCOL.md §13.6).

import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { chunkRange, newTransferId, streamIdOf } from './constants.ts';
import { isRunning } from './status.ts';
import { sleep } from './test-faults.ts';
import { drive, fileBytes, sameBytes } from './test-support.ts';
import {
  isDone,
  offerAccepted,
  type Setup,
  until,
  type Who,
  world,
  writesAreChunks,
} from './test-world.ts';

const KiB = 1024;

type Event =
  | { readonly kind: 'fail' }
  | { readonly kind: 'reload'; readonly who: Who | 'both' }
  | { readonly kind: 'pause'; readonly who: Who };
interface Step {
  readonly after: number;
  readonly event: Event;
}

const who = fc.constantFrom<Who>('sender', 'receiver');
const arbStep: fc.Arbitrary<Step> = fc.record({
  after: fc.integer({ min: 0, max: 250 }),
  event: fc.oneof(
    fc.constant<Event>({ kind: 'fail' }),
    fc.record({
      kind: fc.constant('reload' as const),
      who: fc.constantFrom<Who | 'both'>('sender', 'receiver', 'both'),
    }),
    fc.record({ kind: fc.constant('pause' as const), who }),
  ),
});

const arbSetup: fc.Arbitrary<Setup> = fc
  .record({
    size: fc.oneof(
      { arbitrary: fc.integer({ min: 32 * KiB, max: 600 * KiB }), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 5000 }), weight: 1 },
    ),
    chunk: fc.integer({ min: 1024, max: 4096 }),
    ackChunks: fc.integer({ min: 1, max: 16 }),
    extraWindow: fc.integer({ min: 0, max: 64 * KiB }),
    hwm: fc.integer({ min: 8 * KiB, max: 64 * KiB }),
    latencyMs: fc.integer({ min: 0, max: 10 }),
  })
  .map(({ size, chunk, ackChunks, extraWindow, hwm, latencyMs }) => {
    const ackEvery = ackChunks * chunk;
    return {
      size,
      chunk,
      // §13.4: the window is at least twice the receiver's ack interval (plus a chunk here,
      // since an ack interval of whole chunks may overshoot by one).
      limits: {
        maxFileSize: 1024 * KiB,
        highWaterMark: hwm,
        lowWaterMark: Math.floor(hwm / 4),
        window: 2 * ackEvery + chunk + extraWindow,
        ackEvery,
      },
      // Slow enough that a disruption usually lands mid-file (600 KiB take about 1.2 s).
      duplex: { bytesPerSecond: 500_000, latencyMs },
    };
  });

describe('file transfer properties', () => {
  it('completes with the right bytes through lost links, reloads and pauses', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbSetup,
        fc.array(arbStep, { maxLength: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        async (setup, steps, seed) => {
          const w = await world(setup);
          const bytes = fileBytes(setup.size, seed);
          const id = await offerAccepted(w, bytes);
          for (const { after, event } of steps) {
            await drive(w.clock, sleep(w.clock, after));
            if (event.kind === 'fail') await w.down();
            else if (event.kind === 'reload') await w.reload(event.who);
            // Pausing needs no link: a pause made offline is told at the next session.
            else await w.togglePause(event.who, id);
            // Half the time the link stays down until the next step.
            if (event.kind !== 'pause' && after % 2 === 0) await w.up();
          }
          const l = await w.up();
          for (const x of ['sender', 'receiver'] as const) {
            // A side may have paused just as the last chunks landed: the transfer then completed
            // with its pause flag set, and there is nothing to resume (resume refuses, 1015).
            const r = w.record(x, id);
            if (r?.paused.local && isRunning(r.status)) {
              await drive(w.clock, w.side[x].engine.resume(id));
            }
          }
          const got = await until(w, 'receiver', id, isDone);
          expect(got.status).toEqual({ kind: 'complete' });
          const sent = await until(w, 'sender', id, isDone);
          expect(sent.status).toEqual({ kind: 'complete' });
          const n = Math.ceil(setup.size / setup.chunk);
          expect([got.verified, sent.verified]).toEqual([n, n]);
          const file = w.storage.receiver.durableFile(id) ?? new Uint8Array(0);
          expect(sameBytes(file, bytes)).toBe(true);
          expect(toHex(sha256(file))).toBe(got.meta.sha256);
          // What was stored is what a reload would find.
          expect(w.storage.receiver.records.get(id)?.status).toEqual({ kind: 'complete' });
          expect(w.errors).toEqual([]);
          expect(w.broken).toEqual([]);
          expect(writesAreChunks(w.storage.receiver, got.meta, id)).toEqual([]);
          expect([l.a.state.name, l.b.state.name]).toEqual(['connected', 'connected']);
        },
      ),
      { numRuns: 50 },
    );
  });

  type Target = 'random' | 'honest' | 'unaccepted';
  interface Injection {
    readonly after: number;
    readonly target: Target;
    /** A number, or the chunk right after (+0) the sender's last one: the receiver's next. */
    readonly index: number | 'next' | 'next+1';
    /** undefined: exactly the length of chunk `index` of the honest file. */
    readonly length: number | undefined;
  }
  const arbInjection: fc.Arbitrary<Injection> = fc.record({
    after: fc.integer({ min: 0, max: 150 }),
    target: fc.constantFrom<Target>('random', 'honest', 'unaccepted'),
    index: fc.oneof(
      fc.integer({ min: 0, max: 200 }),
      fc.constant(0xffff_ffff),
      fc.constantFrom<'next' | 'next+1'>('next', 'next+1'),
    ),
    length: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  });

  it('random BINARY frames never close the session; honest transfers still complete', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbSetup,
        fc.array(arbInjection, { minLength: 1, maxLength: 6 }),
        async (setup, injections) => {
          const w = await world(setup);
          const bytes = fileBytes(setup.size, 77);
          const honest = await offerAccepted(w, bytes);
          const unaccepted = await offerAccepted(w, fileBytes(3000, 5), false);
          const l = await w.up();
          for (const inj of injections) {
            await drive(w.clock, sleep(w.clock, inj.after));
            const id =
              inj.target === 'random'
                ? newTransferId()
                : inj.target === 'honest'
                  ? honest
                  : unaccepted;
            const next = (w.lastSent.get(honest) ?? -1) + 1;
            const index =
              inj.index === 'next' ? next : inj.index === 'next+1' ? next + 1 : inj.index;
            const meta = { size: setup.size, chunkSize: setup.chunk };
            const length = inj.length ?? chunkRange(meta, index).length;
            const data = fileBytes(length, index + 1);
            // Through the peer's real session: encrypted and in order like any frame of it.
            await drive(w.clock, l.a.sendBinary(streamIdOf(id), index, data));
          }
          // Each injection can fail the honest transfer at most twice (3003 for the chunk after
          // a bad one, then 3004 if a bad one was written); a retry restarts it.
          const receiver = w.side.receiver.engine;
          for (let retries = 0; ; retries++) {
            const r = await until(w, 'receiver', honest, isDone);
            if (r.status.kind === 'complete') break;
            expect(retries).toBeLessThanOrEqual(2 * injections.length);
            await drive(w.clock, receiver.retry(honest));
          }
          await until(w, 'sender', honest, (r) => r.status.kind === 'complete');
          // Barrier: every injected frame has reached B's engine (one ordered channel) and been
          // handled (one job queue) before we count.
          const marker = new Promise<void>((resolve) =>
            l.b.on('message', (m) => (m.type === 'text' ? resolve() : undefined)),
          );
          await drive(w.clock, l.a.send({ type: 'text', payload: { text: 'end' } }));
          await drive(w.clock, marker);
          await drive(
            w.clock,
            receiver.decline(newTransferId()).catch(() => undefined),
          );
          expect(sameBytes(w.storage.receiver.durableFile(honest), bytes)).toBe(true);
          const unsolicited = injections.filter((i) => i.target !== 'honest').length;
          expect(w.errors.filter((e) => e.code === 3002)).toHaveLength(unsolicited);
          expect(receiver.stats().unsolicitedChunks).toBe(unsolicited);
          for (const e of w.errors) expect([3002, 3003, 3004]).toContain(e.code);
          expect(w.errors.every((e) => e.who === 'receiver')).toBe(true);
          expect(w.record('receiver', unaccepted)?.status).toEqual({ kind: 'offered' });
          // No chunk, however hostile, was written outside its place in [0, size).
          const meta = { size: setup.size, chunkSize: setup.chunk };
          expect(writesAreChunks(w.storage.receiver, meta, honest)).toEqual([]);
          expect(w.storage.receiver.writeLog.has(unaccepted)).toBe(false);
          expect([l.a.state.name, l.b.state.name]).toEqual(['connected', 'connected']);
        },
      ),
      { numRuns: 30 },
    );
  });
});
