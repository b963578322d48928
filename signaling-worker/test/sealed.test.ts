// The real client (src/signaling) against the real Worker: sealed signals end to end, and what
// the recipient does with payloads the Worker (or anyone on the path) has tampered with.

import { afterEach, describe, expect, inject, it } from 'vitest';
import WS from 'ws';
import { toHex, utf8 } from '../../src/crypto/bytes.ts';
import type { PeerlineError } from '../../src/crypto/errors.ts';
import { type Signer, seal } from '../../src/crypto/seal.ts';
import { toBase64 } from '../../src/signaling/base64.ts';
import {
  type ClientState,
  type IncomingSignal,
  SignalingClient,
} from '../../src/signaling/client.ts';
import type { WebSocketConstructor } from '../../src/signaling/transport.ts';
import { fakeIp, type Identity, newIdentity, ORIGIN, registered } from './helpers.ts';

const live: WS[] = [];

/** `ws` with the Origin and client IP a browser behind Cloudflare would present. */
function nodeWebSocket(ip = fakeIp()): WebSocketConstructor {
  return class extends WS {
    constructor(url: string) {
      super(url, { origin: ORIGIN, headers: { 'CF-Connecting-IP': ip } });
      live.push(this);
    }
  };
}

interface Harness {
  client: SignalingClient;
  id: Identity;
  signals: IncomingSignal[];
  rejected: PeerlineError[];
  /** Resolves on the next state of this kind. */
  next(kind: ClientState['kind']): Promise<ClientState>;
  /** Resolves once `n` signals or rejections have arrived. */
  received(n: number): Promise<void>;
}

const clients: SignalingClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});

function harness(id: Identity = newIdentity(), random = Math.random): Harness {
  const signals: IncomingSignal[] = [];
  const rejected: PeerlineError[] = [];
  let waiters: { kind: string; resolve: (s: ClientState) => void }[] = [];
  let counters: { n: number; resolve: () => void }[] = [];
  const check = () => {
    const total = signals.length + rejected.length;
    const due = counters.filter((c) => total >= c.n);
    counters = counters.filter((c) => total < c.n);
    for (const c of due) c.resolve();
  };
  const client = new SignalingClient({
    url: inject('workerUrl').replace('http', 'ws'),
    identity: id,
    origin: ORIGIN,
    WebSocket: nodeWebSocket(),
    random,
    onState: (s) => {
      const due = waiters.filter((w) => w.kind === s.kind);
      waiters = waiters.filter((w) => w.kind !== s.kind);
      for (const w of due) w.resolve(s);
    },
    onSignal: (s) => {
      signals.push(s);
      check();
    },
    onRejected: (_from, e) => {
      rejected.push(e);
      check();
    },
  });
  clients.push(client);
  return {
    client,
    id,
    signals,
    rejected,
    next: (kind) => new Promise((resolve) => waiters.push({ kind, resolve })),
    received: (n) =>
      new Promise((resolve) => {
        counters.push({ n, resolve });
        check();
      }),
  };
}

async function ready(h: Harness): Promise<Harness> {
  const p = h.next('ready');
  h.client.start();
  await p;
  return h;
}

const signer = (id: Identity): Signer => ({ publicKey: id.publicKey, secretKey: id.secretKey });

describe('sealed signals through the Worker', () => {
  it('delivers a sealed offer that only the recipient can open', async () => {
    const alice = await ready(harness());
    const bob = await ready(harness());
    const got = bob.received(1);
    expect(await alice.client.send(bob.id.hex, utf8('v=0 offer'))).toEqual({ status: 'delivered' });
    await got;
    expect(bob.signals).toHaveLength(1);
    expect(bob.signals[0]?.from).toBe(alice.id.hex);
    expect(bob.signals[0]?.payload).toEqual(utf8('v=0 offer'));
  });

  it('queues for an offline recipient, who opens it on registration', async () => {
    const alice = await ready(harness());
    const bob = harness();
    const r = await alice.client.send(bob.id.hex, utf8('early offer'));
    expect(r.status).toBe('queued');
    const got = bob.received(1);
    await ready(bob);
    await got;
    expect(bob.signals[0]?.payload).toEqual(utf8('early offer'));
    expect(typeof bob.signals[0]?.queuedAt).toBe('number');
  });

  it('the recipient rejects a tampered sealed signal (1003)', async () => {
    const alice = newIdentity();
    const bob = await ready(harness());
    const raw = await registered(alice);
    const sealed = seal(signer(alice), bob.id.publicKey, utf8('candidate'));
    const tampered = sealed.slice();
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0x80;
    const got = bob.received(2);
    raw.c.send({ type: 'signal', to: bob.id.hex, payload: toBase64(tampered) });
    raw.c.send({ type: 'signal', to: bob.id.hex, payload: toBase64(sealed) });
    await got;
    expect(bob.rejected.map((e) => e.code)).toEqual([1003]);
    expect(bob.signals.map((s) => s.payload)).toEqual([utf8('candidate')]);
    await raw.c.close();
  });

  it('the recipient detects a rewritten `from` (1011)', async () => {
    // Mallory forwards Alice's sealed signal under her own key: exactly what a Worker that
    // rewrote `from` would deliver.
    const alice = newIdentity();
    const mallory = await registered(newIdentity());
    const bob = await ready(harness());
    const sealed = seal(signer(alice), bob.id.publicKey, utf8('offer from alice'));
    const got = bob.received(1);
    mallory.c.send({ type: 'signal', to: bob.id.hex, payload: toBase64(sealed) });
    await got;
    expect(bob.rejected.map((e) => e.code)).toEqual([1011]);
    expect(bob.signals).toHaveLength(0);
    await mallory.c.close();
  });

  it('the recipient refuses a replayed signal (1007)', async () => {
    const alice = newIdentity();
    const raw = await registered(alice);
    const bob = await ready(harness());
    const sealed = toBase64(seal(signer(alice), bob.id.publicKey, utf8('once')));
    const got = bob.received(2);
    raw.c.send({ type: 'signal', to: bob.id.hex, payload: sealed });
    raw.c.send({ type: 'signal', to: bob.id.hex, payload: sealed });
    await got;
    expect(bob.signals).toHaveLength(1);
    expect(bob.rejected.map((e) => e.code)).toEqual([1007]);
    await raw.c.close();
  });

  it('fetches ICE servers over the client API', async () => {
    const alice = await ready(harness());
    const ice = await alice.client.iceServers();
    expect(ice.iceServers[0]?.username).toBe(`${ice.expiresAt}:${alice.id.hex}`);
  });

  it('re-registers by itself after the connection drops', async () => {
    const alice = await ready(harness(newIdentity(), () => 0));
    const bob = await ready(harness());
    const dropped = alice.next('backoff');
    const back = alice.next('ready');
    for (const ws of live) if (ws.url.endsWith(alice.id.hex)) ws.terminate();
    expect((await dropped).kind).toBe('backoff');
    await back;
    const got = alice.received(1);
    await bob.client.send(alice.id.hex, utf8('after reconnect'));
    await got;
    expect(alice.signals[0]?.payload).toEqual(utf8('after reconnect'));
    expect(toHex(alice.id.publicKey)).toBe(alice.client.address);
  });
});
