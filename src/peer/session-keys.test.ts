// Keys over time (PROTOCOL.md §4): rekey, re-handshake, nonce exhaustion — over real sessions.

import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../crypto/identity.ts';
import { HandshakeState, MAX_NONCE } from '../crypto/noise/index.ts';
import { unpad } from '../crypto/padding.ts';
import { createFakeClock } from './clock.ts';
import { createDuplexPair, type Side } from './duplex.ts';
import { FrameFlag, FrameType } from './frame.ts';
import type { Message } from './message-types.ts';
import { NOISE_PROTOCOL, REHANDSHAKE_PROLOGUE } from './noise-session.ts';
import { createSession, type PeerSession } from './session.ts';
import { RawPeer } from './test-peer.ts';
import { connectPair, disconnected, nextEvent } from './test-support.ts';

function texts(s: PeerSession): string[] {
  const out: string[] = [];
  s.on('message', (m: Message) => m.type === 'text' && out.push(m.payload.text));
  return out;
}

async function sendTexts(
  from: PeerSession,
  to: PeerSession,
  prefix: string,
  n: number,
): Promise<void> {
  const last = `${prefix}${n - 1}`;
  const arrived = nextEvent(to, 'message', (m) => m.type === 'text' && m.payload.text === last);
  for (let i = 0; i < n; i++) await from.send({ type: 'text', payload: { text: `${prefix}${i}` } });
  await arrived;
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('rekey (§4.1)', () => {
  it('with rekeyMessages 5, 20 messages each way: both directions rekey and everything arrives', async () => {
    const limits = { rekeyMessages: 5 };
    const { a, b } = await connectPair({ a: { limits }, b: { limits } });
    const atA = texts(a);
    const atB = texts(b);
    await sendTexts(a, b, 'a', 20);
    await sendTexts(b, a, 'b', 20);
    expect(atB).toEqual(range('a', 20));
    expect(atA).toEqual(range('b', 20));
    // 21 frames each (hello + 20): the key changes before frames 6, 11, 16, 21.
    expect(a.stats.rekeys).toBe(4);
    expect(b.stats.rekeys).toBe(4);
    expect(b.stats.peerRekeys).toBe(a.stats.rekeys);
    expect(a.stats.peerRekeys).toBe(b.stats.rekeys);
  });

  it('a REKEYED flag removed from a rekeyed frame closes with 1003', async () => {
    let strip = false;
    const tap = (d: Uint8Array, from: Side) => {
      if (!strip || from !== 'a' || ((d[2] ?? 0) & FrameFlag.REKEYED) === 0) return [d];
      const out = d.slice();
      out[2] = (out[2] ?? 0) & ~FrameFlag.REKEYED;
      return [out];
    };
    const limits = { rekeyMessages: 2 };
    const { a, b } = await connectPair({ a: { limits }, duplex: { tap } });
    const atB = texts(b);
    strip = true;
    for (let i = 0; i < 3; i++)
      await a.send({ type: 'text', payload: { text: `t${i}` } }).catch(() => undefined);
    expect((await disconnected(b)).reason).toMatchObject({ code: 1003, by: 'local' });
    // hello and t0 used the first key; t1 was the first rekeyed frame.
    expect(atB).toEqual(['t0']);
  });

  it('requestRekey(): our next frame is REKEYED and the peer rekeys its own next frame', async () => {
    const flags: Record<Side, number[]> = { a: [], b: [] };
    const tap = (d: Uint8Array, from: Side) => {
      if (d[1] === FrameType.MESSAGE) flags[from].push(d[2] ?? 0);
      return [d];
    };
    const { a, b } = await connectPair({ duplex: { tap } });
    const rekeyMsg = nextEvent(b, 'message', (m) => m.type === 'rekey');
    await a.requestRekey();
    expect((await rekeyMsg).payload).toEqual({});
    await sendTexts(b, a, 'reply', 2);
    await sendTexts(a, b, 'more', 1);
    expect(flags.a).toEqual([0, FrameFlag.REKEYED, 0]);
    expect(flags.b).toEqual([0, FrameFlag.REKEYED, 0]);
    expect([a.stats.rekeys, a.stats.peerRekeys, b.stats.rekeys, b.stats.peerRekeys]).toEqual([
      1, 1, 1, 1,
    ]);
  });
});

describe('re-handshake (§4.2)', () => {
  it('on demand by the initiator: messages before, during and after arrive in order; keys change', async () => {
    const { a, b } = await connectPair();
    const atB = texts(b);
    const atA = texts(a);
    const hash0 = a.handshakeHash;
    const oldSend = a.debugSendCipher();
    await sendTexts(a, b, 'before', 3);
    const done = a.rehandshake();
    const during = range('during', 5).map((t) => a.send({ type: 'text', payload: { text: t } }));
    const duringB = range('back', 5).map((t) => b.send({ type: 'text', payload: { text: t } }));
    await Promise.all([done, ...during, ...duringB]);
    await sendTexts(a, b, 'after', 3);
    await sendTexts(b, a, 'reply', 1);
    expect(atB).toEqual([...range('before', 3), ...range('during', 5), ...range('after', 3)]);
    expect(atA).toEqual([...range('back', 5), 'reply0']);
    expect(a.stats.rehandshakes).toBe(1);
    expect(b.stats.rehandshakes).toBe(1);
    expect(a.handshakeHash).not.toEqual(hash0);
    expect(b.handshakeHash).toEqual(a.handshakeHash);
    // The old sending key is gone: it can encrypt nothing any more.
    await expect(
      oldSend?.encryptWithAd(new Uint8Array(0), new Uint8Array(1)),
    ).rejects.toMatchObject({ code: 1015 });
  });

  it('new keys start at seq 0 with NEW_KEYS; a frame captured under the old keys is rejected after', async () => {
    let capture = false;
    let old: Uint8Array | undefined;
    let inject: Uint8Array | undefined;
    const seen: { flags: number; seq: bigint }[] = [];
    const tap = (d: Uint8Array, from: Side) => {
      if (from !== 'a') return [d];
      if (d[1] !== FrameType.HANDSHAKE)
        seen.push({ flags: d[2] ?? 0, seq: new DataView(d.buffer, d.byteOffset).getBigUint64(4) });
      if (capture && old === undefined) old = d;
      if (inject !== undefined) {
        const extra = inject;
        inject = undefined;
        return [d, extra];
      }
      return [d];
    };
    const { a, b } = await connectPair({ duplex: { tap } });
    capture = true;
    await sendTexts(a, b, 'old', 1);
    await a.rehandshake();
    seen.length = 0;
    await sendTexts(a, b, 'new', 1);
    expect(seen[0]).toEqual({ flags: FrameFlag.NEW_KEYS, seq: 0n });
    inject = old;
    await a.send({ type: 'text', payload: { text: 'trigger' } });
    expect((await disconnected(b)).reason).toMatchObject({ code: 1007, by: 'local' });
  });

  it('on demand by the responder, through a `rehandshake` request', async () => {
    const { a, b } = await connectPair();
    const hash0 = b.handshakeHash;
    const request = nextEvent(a, 'message', (m) => m.type === 'rehandshake');
    await b.rehandshake();
    expect((await request).payload).toEqual({});
    expect(b.handshakeHash).not.toEqual(hash0);
    await sendTexts(b, a, 'x', 2);
    await sendTexts(a, b, 'y', 2);
    expect(a.handshakeHash).toEqual(b.handshakeHash);
  });

  it('twice in a row, and again each time the initiator re-handshake timer fires', async () => {
    const clock = createFakeClock();
    const limits = { rehandshakeMs: 1000, heartbeatMs: 1e9, inactivityMs: 1e9 };
    const { a, b } = await connectPair({ clock, a: { limits }, b: { limits } });
    const atA = texts(a);
    await a.rehandshake();
    await a.rehandshake();
    const hashes = new Set([a.handshakeHash?.join()]);
    for (let i = 0; i < 3; i++) {
      clock.advance(999);
      expect(a.stats.rehandshakes).toBe(2 + i);
      clock.advance(1);
      // The timer claimed a re-handshake synchronously: this call joins it rather than starting one.
      await a.rehandshake();
      expect(a.stats.rehandshakes).toBe(3 + i);
      await sendTexts(b, a, `r${i}`, 1);
      await sendTexts(a, b, `s${i}`, 1);
      hashes.add(a.handshakeHash?.join());
    }
    expect(hashes.size).toBe(4);
    expect(atA).toEqual(['r00', 'r10', 'r20']);
    expect(b.stats.rehandshakes).toBe(5);
    expect(b.handshakeHash).toEqual(a.handshakeHash);
  });
});

describe('nonce exhaustion (§4.3)', () => {
  it('a send nonce at 2^64 − 1 refuses to encrypt: 1014, and the session closes without a close frame', async () => {
    const { a, b } = await connectPair();
    const cipher = a.debugSendCipher();
    cipher?.setNonce(MAX_NONCE);
    await expect(a.send({ type: 'text', payload: { text: 'x' } })).rejects.toMatchObject({
      code: 1014,
    });
    expect((await disconnected(a)).reason).toMatchObject({ code: 1014, by: 'local' });
    expect((await disconnected(b)).reason).toMatchObject({ code: 2001 });
  });
});

describe('re-handshake identity (§4.2)', () => {
  it('a peer that answers a re-handshake with another static key is caught: 1011', async () => {
    const pair = createDuplexPair();
    const raw = new RawPeer(pair.b, { role: 'responder' });
    const a = createSession({ duplex: pair.a, role: 'initiator', identity: generateIdentity() });
    a.start();
    await raw.handshake();
    await raw.nextFrame(); // hello
    void a.rehandshake().catch(() => undefined);
    const { frame, plaintext } = await raw.nextFrame();
    expect(frame.header.type).toBe(FrameType.REHANDSHAKE);
    const impostor = await HandshakeState.create({
      protocol: NOISE_PROTOCOL,
      initiator: false,
      prologue: REHANDSHAKE_PROLOGUE,
      s: generateIdentity().x25519,
    });
    await impostor.readMessage(unpad(plaintext));
    await raw.sendContent(FrameType.REHANDSHAKE, 0, await impostor.writeMessage(new Uint8Array(0)));
    expect((await disconnected(a)).reason).toMatchObject({ code: 1011, by: 'local' });
  });
});
