// The handshake under attack (PROTOCOL.md §2): identity binding, downgrade, versions, timeouts.

import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../crypto/identity.ts';
import { DEFAULT_CAPABILITIES, encodeMsg1 } from './capabilities.ts';
import { createFakeClock } from './clock.ts';
import { createDuplexPair, type Side } from './duplex.ts';
import { encodeHandshakeFrame, parseFrame } from './frame.ts';
import type { Message } from './message-types.ts';
import { createSession, type PeerSession } from './session.ts';
import { RawPeer } from './test-peer.ts';
import { connectPair, disconnected, makePair, nextEvent, recordStates } from './test-support.ts';

function noMessages(...sessions: PeerSession[]): Message[] {
  const got: Message[] = [];
  for (const s of sessions) s.on('message', (m) => got.push(m));
  return got;
}

describe('identity binding (§2.2)', () => {
  it('a MITM with its own identity is caught on both sides with 1011 and nothing is delivered', async () => {
    const [idA, idB, idM] = [generateIdentity(), generateIdentity(), generateIdentity()];
    const left = createDuplexPair(); // A <-> M1
    const right = createDuplexPair(); // M2 <-> B
    const a = createSession({
      duplex: left.a,
      role: 'initiator',
      identity: idA,
      expectedPeer: idB.edPublicKey,
    });
    const m1 = createSession({ duplex: left.b, role: 'responder', identity: idM });
    const m2 = createSession({ duplex: right.a, role: 'initiator', identity: idM });
    const b = createSession({
      duplex: right.b,
      role: 'responder',
      identity: idB,
      expectedPeer: idA.edPublicKey,
    });
    // The attacker relays whatever it gets.
    m1.on('message', (m) => m.type === 'text' && void m2.send(m).catch(() => undefined));
    m2.on('message', (m) => m.type === 'text' && void m1.send(m).catch(() => undefined));
    const delivered = noMessages(a, b);
    for (const s of [m1, b, m2, a]) s.start();
    const [fa, fb] = await Promise.all([disconnected(a), disconnected(b)]);
    expect(fa.reason).toMatchObject({ code: 1011, by: 'local' });
    expect(fb.reason).toMatchObject({ code: 1011, by: 'local' });
    expect(delivered).toEqual([]);
  });

  it('the initiator rejects a responder that is not the expected contact (at message 2)', async () => {
    const s = makePair({ a: { expectedPeer: generateIdentity().edPublicKey } });
    s.b.start();
    s.a.start();
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 1011, by: 'local' });
    expect((await disconnected(s.b)).reason).toMatchObject({ code: 2001 });
  });

  it('the responder rejects an initiator that is not the expected contact (at message 3)', async () => {
    const s = makePair({ b: { expectedPeer: generateIdentity().edPublicKey } });
    const delivered = noMessages(s.b);
    s.b.start();
    s.a.start();
    expect((await disconnected(s.b)).reason).toMatchObject({ code: 1011, by: 'local' });
    expect(delivered).toEqual([]);
  });

  it('an ed key in msg2 that does not map to rs fails with 1011', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.b, { role: 'responder', ed: generateIdentity().edPublicKey });
    const a = createSession({ duplex: pair.a, role: 'initiator', identity: generateIdentity() });
    a.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(a)).reason).toMatchObject({ code: 1011, by: 'local' });
  });

  it('an ed key in msg3 that does not map to rs fails with 1011, even when it is the expected one', async () => {
    const victim = generateIdentity();
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.a, { role: 'initiator', ed: victim.edPublicKey });
    const b = createSession({
      duplex: pair.b,
      role: 'responder',
      identity: generateIdentity(),
      expectedPeer: victim.edPublicKey,
    });
    const delivered = noMessages(b);
    b.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(b)).reason).toMatchObject({ code: 1011, by: 'local' });
    expect(delivered).toEqual([]);
  });

  it('an ed key that is not a valid point fails with 1011', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.b, { role: 'responder', ed: new Uint8Array(32).fill(0xff) });
    const a = createSession({ duplex: pair.a, role: 'initiator', identity: generateIdentity() });
    a.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(a)).reason).toMatchObject({ code: 1011 });
  });

  it('an all-zero (small-order) ephemeral key in msg1 fails with 1013', async () => {
    const tap = (d: Uint8Array, from: Side) => {
      if (from !== 'a' || d[1] !== 1 || d[11] !== 0) return [d];
      const out = d.slice();
      out.fill(0, 16, 48);
      return [out];
    };
    const s = makePair({ duplex: { tap } });
    s.b.start();
    s.a.start();
    expect((await disconnected(s.b)).reason).toMatchObject({ code: 1013, by: 'local' });
  });
});

describe('versions and downgrade (§2.3)', () => {
  const v12 = { capabilities: { versions: [1, 2] } };

  it('two peers speaking 1 and 2 choose 2 and use it in every frame', async () => {
    let versions = new Set<number>();
    const tap = (d: Uint8Array) => {
      versions.add(d[0] ?? 0);
      return [d];
    };
    const { a } = await connectPair({ a: v12, b: v12, duplex: { tap } });
    if (a.state.name !== 'connected') throw new Error('not connected');
    expect(a.state.peer.version).toBe(2);
    versions = new Set();
    await a.send({ type: 'typing', payload: { typing: true } });
    expect([...versions]).toEqual([2]);
  });

  it('(a) a MITM that removes version 2 from msg1 breaks the handshake: 1012 at the initiator', async () => {
    const tap = (d: Uint8Array, from: Side) => {
      const f = parseFrame(d, d[0] ?? 1);
      if (from !== 'a' || f.header.type !== 1 || f.header.seq !== 0n) return [d];
      const e = f.body.slice(0, 32);
      const payload = encodeMsg1({ ...DEFAULT_CAPABILITIES, versions: [1] });
      const body = new Uint8Array(32 + payload.length);
      body.set(e);
      body.set(payload, 32);
      return [encodeHandshakeFrame(0, body)];
    };
    const s = makePair({ a: v12, b: v12, duplex: { tap } });
    s.b.start();
    s.a.start();
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 1012, by: 'local' });
  });

  it('(b) a responder choosing a lower common version is caught: 1010', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.b, {
      role: 'responder',
      caps: { ...DEFAULT_CAPABILITIES, versions: [1, 2] },
      chosen: 1,
    });
    const a = createSession({
      duplex: pair.a,
      role: 'initiator',
      identity: generateIdentity(),
      ...v12,
    });
    a.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(a)).reason).toMatchObject({ code: 1010, by: 'local' });
  });

  it('an initiator echoing another version in msg3 is caught by the responder: 1010', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.a, {
      role: 'initiator',
      caps: { ...DEFAULT_CAPABILITIES, versions: [1, 2] },
      chosen: 1,
    });
    const b = createSession({
      duplex: pair.b,
      role: 'responder',
      identity: generateIdentity(),
      ...v12,
    });
    b.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(b)).reason).toMatchObject({ code: 1010, by: 'local' });
  });

  it('a responder choosing a version we never offered: 1009', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.b, {
      role: 'responder',
      caps: { ...DEFAULT_CAPABILITIES, versions: [1, 3] },
      chosen: 3,
    });
    const a = createSession({ duplex: pair.a, role: 'initiator', identity: generateIdentity() });
    a.start();
    void raw.handshake().catch(() => undefined);
    expect((await disconnected(a)).reason).toMatchObject({ code: 1009, by: 'local' });
  });

  it('no version in common: the responder closes with 1009 without answering', async () => {
    const sent: number[] = [];
    const tap = (d: Uint8Array, from: Side) => {
      if (from === 'b') sent.push(d.length);
      return [d];
    };
    const s = makePair({ a: { capabilities: { versions: [2] } }, duplex: { tap } });
    s.b.start();
    s.a.start();
    expect((await disconnected(s.b)).reason).toMatchObject({ code: 1009, by: 'local' });
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 2001 });
    expect(sent).toEqual([]);
  });
});

describe('handshake timeout and lost channels', () => {
  it('a channel that never opens: 2000 after 10 s', async () => {
    const clock = createFakeClock();
    const s = makePair({ clock, duplex: { open: 'manual' } });
    s.a.start();
    clock.advance(9_999);
    expect(s.a.state.name).toBe('connecting');
    clock.advance(1);
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 2000, by: 'local' });
  });

  it('a peer that never answers: 2000 after 10 s in AUTHENTICATING', async () => {
    const clock = createFakeClock();
    const s = makePair({ clock });
    const authenticating = nextEvent(s.a, 'state', (st) => st.name === 'authenticating');
    s.a.start();
    await authenticating;
    clock.advance(10_000);
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 2000, by: 'local' });
  });

  it('sessions started before the channel opens connect once it does', async () => {
    const s = makePair({ duplex: { open: 'manual' } });
    s.a.start();
    s.b.start();
    expect([s.a.state.name, s.b.state.name]).toEqual(['connecting', 'connecting']);
    const both = Promise.all([
      nextEvent(s.a, 'state', (st) => st.name === 'connected'),
      nextEvent(s.b, 'state', (st) => st.name === 'connected'),
    ]);
    s.pair.open();
    await both;
  });

  it('starting on a channel that is already closed: 2001 from CONNECTING', async () => {
    const s = makePair();
    s.pair.fail();
    s.a.start();
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 2001 });
  });

  it('the channel failing while connecting: 2001', async () => {
    const s = makePair({ duplex: { open: 'manual' } });
    s.a.start();
    s.pair.fail();
    expect((await disconnected(s.a)).reason).toEqual({
      code: 2001,
      detail: 'data channel closed',
      by: 'remote',
    });
  });

  it('the channel lost while connected: both sides 2001 straight from CONNECTED', async () => {
    const s = await connectPair();
    const states = recordStates(s.a);
    s.pair.fail();
    expect((await disconnected(s.a)).reason).toMatchObject({ code: 2001, by: 'remote' });
    expect((await disconnected(s.b)).reason).toMatchObject({ code: 2001, by: 'remote' });
    expect(states).toEqual(['connected', 'disconnected']);
  });
});
