// Frame-level attacks on an established session (PROTOCOL.md §3.1): every one must end the
// session with the exact typed code, before any tampered content is delivered.

import { describe, expect, it } from 'vitest';
import type { Side } from './duplex.ts';
import { encodeHandshakeFrame, FrameFlag } from './frame.ts';
import type { Message } from './message-types.ts';
import { connectPair, disconnected, makePair, nextEvent } from './test-support.ts';

type Tamper = (d: Uint8Array) => readonly Uint8Array[];

/** A connected pair whose next A→B frames go through `tamper` (one call per frame). */
async function attacked() {
  const queue: Tamper[] = [];
  const tap = (d: Uint8Array, from: Side) =>
    from === 'a' && queue.length > 0 ? (queue.shift() as Tamper)(d) : [d];
  const setup = await connectPair({ duplex: { tap } });
  const delivered: Message[] = [];
  setup.b.on('message', (m) => delivered.push(m));
  return { ...setup, queue, delivered, framesBefore: setup.b.stats.framesReceived };
}

function flip(pos: number, bit: number): Tamper {
  return (d) => {
    const out = d.slice();
    out[pos] = (out[pos] ?? 0) ^ (1 << bit);
    return [out];
  };
}

/** What §3.1 says a one-bit flip in header byte `pos` of a MESSAGE frame (flags 0) must give. */
function expectedForHeaderBit(pos: number, bit: number): number {
  if (pos === 0) return 1009; // version
  if (pos === 1) return bit === 0 ? 1003 : 1000; // 0x02→0x03 is BINARY: passes checks, AD differs
  if (pos === 2) return [1003, 1015, 1003][bit] ?? 1000; // REKEYED, NEW_KEYS, MORE, unknown
  if (pos === 3) return 1000; // reserved
  if (pos < 12) return 1007; // seq
  return 1000; // length
}

async function expectClosedWith(
  s: Awaited<ReturnType<typeof attacked>>,
  code: number,
  delivered: number,
): Promise<void> {
  const finalB = await disconnected(s.b);
  expect(finalB.reason).toEqual({ code, detail: expect.any(String), by: 'local' });
  const finalA = await disconnected(s.a);
  // B tells A why (close message) unless nothing could be sent.
  expect(finalA.reason?.code).toBe(code);
  expect(finalA.reason?.by).toBe('remote');
  expect(s.delivered.filter((m) => m.type === 'text')).toHaveLength(delivered);
  expect(s.b.stats.framesReceived).toBe(s.framesBefore + delivered);
}

describe('one flipped bit in a transport frame closes the session with the §3.1 code', () => {
  const cases: [number, number][] = [];
  for (let pos = 0; pos < 16; pos++) for (let bit = 0; bit < 8; bit++) cases.push([pos, bit]);
  it.each(cases)('header byte %i bit %i', async (pos, bit) => {
    const s = await attacked();
    s.queue.push(flip(pos, bit));
    await s.a.send({ type: 'text', payload: { text: 'tampered' } });
    await expectClosedWith(s, expectedForHeaderBit(pos, bit), 0);
  });

  it.each([
    ['first ciphertext byte', 16],
    ['middle of ciphertext', 150],
    ['last tag byte', -1],
    ['first tag byte', -16],
  ])('%s → 1003', async (_n, offset) => {
    const s = await attacked();
    s.queue.push((d) => flip(offset < 0 ? d.length + offset : offset, 3)(d));
    await s.a.send({ type: 'text', payload: { text: 'tampered' } });
    await expectClosedWith(s, 1003, 0);
  });
});

describe('replay, reorder, truncation, size', () => {
  it('a replayed frame is delivered once, then the replay closes with 1007', async () => {
    const s = await attacked();
    s.queue.push((d) => [d, d]);
    await s.a.send({ type: 'text', payload: { text: 'once' } });
    await expectClosedWith(s, 1007, 1);
  });

  it('a replay of an old frame much later also fails with 1007', async () => {
    const s = await attacked();
    let old: Uint8Array = new Uint8Array(0);
    s.queue.push((d) => {
      old = d;
      return [d];
    });
    await s.a.send({ type: 'text', payload: { text: 'first' } });
    s.queue.push(
      (d) => [d],
      (d) => [d, old],
    );
    await s.a.send({ type: 'text', payload: { text: 'second' } });
    await s.a.send({ type: 'text', payload: { text: 'third' } });
    await expectClosedWith(s, 1007, 3);
  });

  it('reordered frames close with 1007 and deliver nothing', async () => {
    const s = await attacked();
    let held: Uint8Array = new Uint8Array(0);
    s.queue.push(
      (d) => {
        held = d;
        return [];
      },
      (d) => [d, held],
    );
    await s.a.send({ type: 'text', payload: { text: '1' } });
    await s.a.send({ type: 'text', payload: { text: '2' } });
    await expectClosedWith(s, 1007, 0);
  });

  it.each([
    ['one byte short', (d: Uint8Array) => d.slice(0, -1), 1000],
    ['shorter than a header', (d: Uint8Array) => d.slice(0, 15), 1000],
    [
      'cut with a matching length field',
      (d: Uint8Array) => {
        const out = d.slice(0, -10);
        new DataView(out.buffer).setUint32(12, out.length - 16);
        return out;
      },
      1003,
    ],
    ['empty', () => new Uint8Array(0), 1000],
    ['65536 bytes', () => new Uint8Array(65_536), 1008],
    ['1 MB', () => new Uint8Array(1_000_000), 1008],
  ])('%s → %i', async (_n, cut, code) => {
    const s = await attacked();
    s.queue.push((d) => [cut(d)]);
    await s.a.send({ type: 'text', payload: { text: 'x' } });
    await expectClosedWith(s, code, 0);
  });

  it('a HANDSHAKE frame after the handshake is unexpected (1015)', async () => {
    const s = await attacked();
    s.queue.push(() => [encodeHandshakeFrame(0, new Uint8Array(32))]);
    await s.a.send({ type: 'text', payload: { text: 'x' } });
    await expectClosedWith(s, 1015, 0);
  });

  it('a NEW_KEYS frame without a re-handshake is unexpected (1015)', async () => {
    const s = await attacked();
    s.queue.push(flip(2, 1));
    await s.a.send({ type: 'text', payload: { text: 'x' } });
    expect(FrameFlag.NEW_KEYS).toBe(2);
    await expectClosedWith(s, 1015, 0);
  });
});

describe('tampering during the handshake', () => {
  it.each([
    ['msg1 seq', 0, 11, 1007, 'b'],
    ['msg1 version', 0, 0, 1009, 'b'],
    ['msg1 flags', 0, 2, 1000, 'b'],
    ['msg1 ephemeral key byte', 0, 20, 1012, 'a'],
    ['msg2 encrypted static', 1, 60, 1012, 'a'],
    ['msg2 tag', 1, -1, 1012, 'a'],
    ['msg3 payload', 2, -1, 1012, 'b'],
  ] as const)('%s → %i', async (_n, index, pos, code, who) => {
    let seen = 0;
    const tap = (d: Uint8Array) => {
      const i = seen++;
      if (i !== index) return [d];
      const out = d.slice();
      const p = pos < 0 ? out.length + pos : pos;
      out[p] = (out[p] ?? 0) ^ 1;
      return [out];
    };
    const s = makePair({ duplex: { tap } });
    const texts: Message[] = [];
    s.a.on('message', (m) => texts.push(m));
    s.b.on('message', (m) => texts.push(m));
    const errors = [nextEvent(s.a, 'error'), nextEvent(s.b, 'error')];
    s.b.start();
    s.a.start();
    const [fa, fb] = await Promise.all([disconnected(s.a), disconnected(s.b)]);
    const detector = who === 'a' ? fa : fb;
    expect(detector.reason?.code).toBe(code);
    expect(detector.reason?.by).toBe('local');
    expect(texts).toHaveLength(0);
    const [ea, eb] = await Promise.all(errors);
    expect((who === 'a' ? ea : eb)?.code).toBe(code);
  });
});
