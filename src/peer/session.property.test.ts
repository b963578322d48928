// Property tests over real sessions (issue 3 §4): any message sequence round-trips in order;
// garbage after the handshake always ends in a typed error state, never an untyped exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { AppOutgoingMessage, Message } from './message-types.ts';
import { arbitraryDraft } from './test-arbitrary.ts';
import { connectPair, disconnected } from './test-support.ts';

const strip = ({ id: _i, timestamp: _t, ...rest }: Message) => rest;

async function receivedAll(
  list: Message[],
  n: number,
  on: (cb: () => void) => void,
): Promise<void> {
  if (list.length >= n) return;
  await new Promise<void>((resolve) => on(() => list.length >= n && resolve()));
}

describe('session properties', () => {
  it('(1) any sequence of valid messages, both ways, arrives complete and in order', async () => {
    const big = fc
      .string({ minLength: 1, maxLength: 6000 })
      .map((text): AppOutgoingMessage => ({ type: 'text', payload: { text } }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('a' as const, 'b' as const),
            fc.oneof({ weight: 9, arbitrary: arbitraryDraft() }, { weight: 1, arbitrary: big }),
          ),
          { maxLength: 25 },
        ),
        fc.constantFrom(1024, 65_535),
        fc.constantFrom(2, 1000),
        async (script, maxFrame, rekeyMessages) => {
          const side = { capabilities: { maxFrame }, limits: { rekeyMessages } };
          const { a, b } = await connectPair({ a: side, b: side });
          const got = { a: [] as Message[], b: [] as Message[] };
          const listeners = { a: [] as (() => void)[], b: [] as (() => void)[] };
          for (const [name, s] of [
            ['a', a],
            ['b', b],
          ] as const) {
            s.on('message', (m) => {
              if (m.type === 'hello') return;
              got[name].push(m);
              for (const l of listeners[name]) l();
            });
          }
          // All sends are issued at once: the queue alone must keep them in order.
          const ids = await Promise.all(
            script.map(([from, draft]) => (from === 'a' ? a : b).send(draft)),
          );
          const toB = script.filter(([f]) => f === 'a');
          const toA = script.filter(([f]) => f === 'b');
          await Promise.all([
            receivedAll(got.b, toB.length, (cb) => listeners.b.push(cb)),
            receivedAll(got.a, toA.length, (cb) => listeners.a.push(cb)),
          ]);
          expect(got.b.map(strip)).toEqual(toB.map(([, d]) => d));
          expect(got.a.map(strip)).toEqual(toA.map(([, d]) => d));
          expect(got.b.map((m) => m.id)).toEqual(ids.filter((_, i) => script[i]?.[0] === 'a'));
          expect(a.stats.malformed + b.stats.malformed).toBe(0);
          await a.close();
        },
      ),
      { numRuns: 50 },
    );
  });

  it('(3) garbage frames after the handshake end in a typed error state', async () => {
    const header = fc
      .record({
        version: fc.constantFrom(0, 1, 1, 1, 2),
        type: fc.integer({ min: 0, max: 5 }),
        flags: fc.constantFrom(0, 0, 1, 2, 4, 8),
        seq: fc.bigInt({ min: 0n, max: 4n }),
        body: fc.uint8Array({ maxLength: 400 }),
      })
      .map(({ version, type, flags, seq, body }) => {
        const out = new Uint8Array(16 + body.length);
        const v = new DataView(out.buffer);
        v.setUint8(0, version);
        v.setUint8(1, type);
        v.setUint8(2, flags);
        v.setBigUint64(4, seq);
        v.setUint32(12, body.length);
        out.set(body, 16);
        return out;
      });
    const garbage = fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), header), {
      minLength: 1,
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(garbage, async (frames) => {
        const { pair, b } = await connectPair();
        const errors: unknown[] = [];
        b.on('error', (e) => errors.push(e));
        // Straight into A's end of the channel: B cannot tell these from A's frames.
        for (const f of frames) pair.a.send(f);
        const final = await disconnected(b);
        expect(final.reason?.by).toBe('local');
        expect(isErrorCode(final.reason?.code)).toBe(true);
        expect([1000, 1003, 1007, 1008, 1009, 1012, 1015]).toContain(final.reason?.code);
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e).toBeInstanceOf(PeerlineError);
      }),
      { numRuns: 150 },
    );
  });
});
