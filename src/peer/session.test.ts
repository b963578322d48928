import { describe, expect, it } from 'vitest';
import { equalBytes } from '../crypto/bytes.ts';
import type { AppOutgoingMessage, Message } from './message-types.ts';
import { connectPair, disconnected, makePair, nextEvent, recordStates } from './test-support.ts';

const APP_MESSAGES = (peer: string): AppOutgoingMessage[] => [
  { type: 'text', payload: { text: `hello **${peer}**` }, thread_id: 'main' },
  { type: 'receipt', payload: { status: 'delivered', ids: ['00112233445566778899aabbccddeeff'] } },
  { type: 'receipt', payload: { status: 'read', ids: ['00112233445566778899aabbccddeeff'] } },
  { type: 'typing', payload: { typing: true }, expires_at: 1_800_000_000_000 },
  {
    type: 'presence',
    payload: { status: 'busy', text: 'in a call', last_seen: 1_700_000_000_000 },
  },
];

function collect(session: { on: (e: 'message', cb: (m: Message) => void) => unknown }): Message[] {
  const out: Message[] = [];
  session.on('message', (m) => out.push(m));
  return out;
}

describe('session happy path', () => {
  it('passes through the legal states and authenticates both identities', async () => {
    const setup = makePair({ a: { hello: { name: 'Alice', agent: 'test' } } });
    const statesA = recordStates(setup.a);
    const statesB = recordStates(setup.b);
    const helloAtB = nextEvent(setup.b, 'message', (m) => m.type === 'hello');
    setup.b.start();
    setup.a.start();
    const hello = await helloAtB;
    expect(hello.payload).toEqual({ name: 'Alice', agent: 'test' });
    const { a, b, idA, idB } = setup;
    if (a.state.name !== 'connected' || b.state.name !== 'connected')
      throw new Error('not connected');
    expect(equalBytes(a.state.peer.edPublicKey, idB.edPublicKey)).toBe(true);
    expect(equalBytes(b.state.peer.edPublicKey, idA.edPublicKey)).toBe(true);
    expect(a.state.peer).toMatchObject({
      version: 1,
      maxFrame: 65535,
      features: ['text', 'receipt', 'typing', 'presence'],
    });
    expect(a.handshakeHash).toEqual(b.handshakeHash);
    expect(a.handshakeHash).toHaveLength(32);
    await a.close(2003, 'bye');
    const finalB = await disconnected(b);
    expect(finalB.reason).toEqual({ code: 2003, detail: 'bye', by: 'remote' });
    expect(a.state).toEqual({
      name: 'disconnected',
      reason: { code: 2003, detail: 'bye', by: 'local' },
    });
    expect(statesA).toEqual([
      'disconnected',
      'connecting',
      'authenticating',
      'connected',
      'closing',
      'disconnected',
    ]);
    expect(statesB).toEqual([
      'disconnected',
      'connecting',
      'authenticating',
      'connected',
      'closing',
      'disconnected',
    ]);
  });

  it('delivers every application type both ways, in order, with ids and timestamps', async () => {
    const { a, b } = await connectPair();
    const atA = collect(a);
    const atB = collect(b);
    const idsFromA: string[] = [];
    const idsFromB: string[] = [];
    for (const m of APP_MESSAGES('Bob')) idsFromA.push(await a.send(m));
    for (const m of APP_MESSAGES('Alice')) idsFromB.push(await b.send(m));
    const lastB = idsFromB.at(-1);
    const lastA = idsFromA.at(-1);
    await Promise.all([
      atA.some((m) => m.id === lastB) || nextEvent(a, 'message', (m) => m.id === lastB),
      atB.some((m) => m.id === lastA) || nextEvent(b, 'message', (m) => m.id === lastA),
    ]);
    expect(atB.map((m) => m.id)).toEqual(idsFromA);
    expect(atA.map((m) => m.id)).toEqual(idsFromB);
    expect(atB.map(({ id: _id, timestamp: _t, ...rest }) => rest)).toEqual(APP_MESSAGES('Bob'));
    expect(atA.map(({ id: _id, timestamp: _t, ...rest }) => rest)).toEqual(APP_MESSAGES('Alice'));
    for (const m of [...atA, ...atB]) expect(m.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.stats).toMatchObject({ unknownTypes: 0, malformed: 0 });
  });

  it('carries binary chunks both ways without JSON', async () => {
    const { a, b } = await connectPair();
    const stream = new Uint8Array(16).fill(7);
    const data = new Uint8Array(a.maxBinaryChunk).map((_, i) => i & 0xff);
    const got = nextEvent(b, 'binary');
    await a.sendBinary(stream, 0xfffffffe, data);
    const chunk = await got;
    expect(chunk.streamId).toEqual(stream);
    expect(chunk.index).toBe(0xfffffffe);
    expect(chunk.data).toEqual(data);
    const back = nextEvent(a, 'binary');
    await b.sendBinary(stream, 1, new Uint8Array(0));
    expect((await back).data).toHaveLength(0);
    expect(a.maxBinaryChunk).toBe(65_535 - 32 - 1 - 20);
    await expect(
      a.sendBinary(stream, 0, new Uint8Array(a.maxBinaryChunk + 1)),
    ).rejects.toMatchObject({ code: 1008 });
    await expect(a.sendBinary(new Uint8Array(15), 0, data)).rejects.toMatchObject({ code: 1000 });
  });

  it('queued chunks of falling sizes arrive intact, and a message after them', async () => {
    const { a, b } = await connectPair();
    const stream = new Uint8Array(16).fill(3);
    const sizes = [a.maxBinaryChunk, 40_000, 5000, 4000, 17, 0];
    const chunks = sizes.map((n, k) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 0xff),
    );
    const got: { index: number; data: Uint8Array }[] = [];
    const all = new Promise<void>((resolve) => {
      b.on('binary', (c) => {
        got.push({ index: c.index, data: c.data.slice() });
        if (got.length === sizes.length) resolve();
      });
    });
    const text = nextEvent(b, 'message', (m) => m.type === 'text');
    // All queued at once: each is copied into the reused frame buffer only when its turn comes.
    const sends = chunks.map((d, k) => a.sendBinary(stream, k, d));
    sends.push(a.send({ type: 'text', payload: { text: 'between' } }).then(() => undefined));
    await Promise.all([...sends, all, text]);
    expect(got.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [k, c] of got.entries())
      expect(equalBytes(c.data, chunks[k] ?? new Uint8Array(1))).toBe(true);
    expect((await text).payload).toEqual({ text: 'between' });
  });

  it('refuses control types, invalid messages, and sending when not connected', async () => {
    const setup = makePair();
    await expect(setup.a.send({ type: 'text', payload: { text: 'early' } })).rejects.toMatchObject({
      code: 1015,
    });
    const { a } = await connectPair();
    // @ts-expect-error control types are not AppOutgoingMessage
    await expect(a.send({ type: 'close', payload: { code: 1, reason: '' } })).rejects.toMatchObject(
      { code: 1015 },
    );
    await expect(a.send({ type: 'text', payload: { text: '' } })).rejects.toMatchObject({
      code: 1000,
    });
    await a.close();
    await expect(a.send({ type: 'text', payload: { text: 'late' } })).rejects.toMatchObject({
      code: 1015,
    });
    expect(() => a.start()).toThrow(expect.objectContaining({ code: 1015 }));
  });

  it('sends messages queued before close() ahead of the close message', async () => {
    const { a, b } = await connectPair();
    const atB = collect(b);
    const sent = [
      a.send({ type: 'text', payload: { text: '1' } }),
      a.send({ type: 'text', payload: { text: '2' } }),
    ];
    const closing = a.close(2003, 'done');
    await Promise.all([...sent, closing, disconnected(b)]);
    expect(atB.map((m) => m.type)).toEqual(['text', 'text', 'close']);
    expect(atB[2]?.payload).toEqual({ code: 2003, reason: 'done' });
  });

  it('runs on the noble backends too', async () => {
    const backend = { aes: 'noble', dh: 'noble' } as const;
    const { a, b } = await connectPair({ a: { backend }, b: { backend } });
    const got = nextEvent(b, 'message', (m) => m.type === 'text');
    await a.send({ type: 'text', payload: { text: 'noble' } });
    expect((await got).payload).toEqual({ text: 'noble' });
  });

  it('without an expected peer, reports whoever authenticated', async () => {
    const { a, b, idA, idB } = await connectPair({ expect: 'none' });
    if (a.state.name !== 'connected' || b.state.name !== 'connected')
      throw new Error('not connected');
    expect(a.state.peer.edPublicKey).toEqual(idB.edPublicKey);
    expect(b.state.peer.edPublicKey).toEqual(idA.edPublicKey);
  });
});
