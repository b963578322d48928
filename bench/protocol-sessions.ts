// Building blocks of the protocol benchmark: real sessions over the in-memory duplex pair
// (no simulated latency or rate), a bare Noise XX, and bare WebCrypto X25519. Runs in Node and
// in Chromium, so only web-platform globals are used.

import { generateIdentity, type Identity } from '../src/crypto/identity.ts';
import { HandshakeState } from '../src/crypto/noise/index.ts';
import { createDuplexPair } from '../src/peer/duplex.ts';
import { NOISE_PROTOCOL, PROLOGUE } from '../src/peer/noise-session.ts';
import { createSession, type PeerSession } from '../src/peer/session.ts';

export interface Identities {
  readonly a: Identity;
  readonly b: Identity;
}

export function makeIdentities(): Identities {
  return { a: generateIdentity(), b: generateIdentity() };
}

export interface EstablishedPair {
  readonly a: PeerSession;
  readonly b: PeerSession;
  /** start() → the later of the two CONNECTED events. */
  readonly ms: number;
  /** Resolves once each side has read the other's hello: nothing is in flight any more. */
  readonly settled: Promise<void>;
}

/** Resolves with performance.now() when `s` becomes CONNECTED; rejects if it ends instead. */
function connectedAt(s: PeerSession): Promise<number> {
  return new Promise((resolve, reject) => {
    const off = s.on('state', (st) => {
      if (st.name === 'connected') {
        off();
        resolve(performance.now());
      } else if (st.name === 'disconnected') {
        off();
        reject(new Error(`session ended before connecting: ${JSON.stringify(st.reason)}`));
      }
    });
  });
}

function helloRead(s: PeerSession): Promise<void> {
  return new Promise((resolve) => {
    const off = s.on('message', (m) => {
      if (m.type === 'hello') {
        off();
        resolve();
      }
    });
  });
}

/** One full establishment: both identity checks on (expectedPeer set on both sides). */
export async function establish(ids: Identities): Promise<EstablishedPair> {
  const pair = createDuplexPair();
  const a = createSession({
    duplex: pair.a,
    role: 'initiator',
    identity: ids.a,
    expectedPeer: ids.b.edPublicKey,
  });
  const b = createSession({
    duplex: pair.b,
    role: 'responder',
    identity: ids.b,
    expectedPeer: ids.a.edPublicKey,
  });
  const done = Promise.all([connectedAt(a), connectedAt(b)]);
  const settled = Promise.all([helloRead(a), helloRead(b)]).then(() => undefined);
  const t0 = performance.now();
  // Both attach before the first frame is delivered (delivery is a microtask at the earliest).
  b.start();
  a.start();
  const [ta, tb] = await done;
  return { a, b, ms: Math.max(ta, tb) - t0, settled };
}

/** Orderly close of both sides; resolves when both are DISCONNECTED (timers stopped). */
export async function closePair(p: { a: PeerSession; b: PeerSession }): Promise<void> {
  await Promise.all([p.a.close(), p.b.close()]);
}

/** The Noise XX alone, both sides, empty payloads: create → both transports. */
export async function bareNoiseXX(ids: Identities): Promise<number> {
  const t0 = performance.now();
  const [i, r] = await Promise.all([
    HandshakeState.create({
      protocol: NOISE_PROTOCOL,
      initiator: true,
      prologue: PROLOGUE,
      s: ids.a.x25519,
    }),
    HandshakeState.create({
      protocol: NOISE_PROTOCOL,
      initiator: false,
      prologue: PROLOGUE,
      s: ids.b.x25519,
    }),
  ]);
  await r.readMessage(await i.writeMessage());
  await i.readMessage(await r.writeMessage());
  await r.readMessage(await i.writeMessage());
  i.intoTransport();
  r.intoTransport();
  return performance.now() - t0;
}

export interface DhRig {
  readonly priv: CryptoKey;
  readonly pubs: readonly CryptoKey[];
}

async function generateX25519(): Promise<CryptoKeyPair> {
  const kp = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  if (!('privateKey' in kp)) throw new Error('X25519 generateKey gave no pair');
  return kp;
}

export async function makeDhRig(): Promise<DhRig> {
  const gen = generateX25519;
  const mine = await gen();
  const others = await Promise.all([gen(), gen(), gen()]);
  return { priv: mine.privateKey, pubs: others.map((k) => k.publicKey) };
}

/** Three sequential X25519 deriveBits: what one side of XX cannot do without. */
export async function threeDh(rig: DhRig): Promise<number> {
  const t0 = performance.now();
  for (const pub of rig.pubs) {
    await crypto.subtle.deriveBits({ name: 'X25519', public: pub }, rig.priv, 256);
  }
  return performance.now() - t0;
}

/**
 * The X25519 work of a whole XX with both sides in one thread, done back to back: per side one
 * ephemeral (generateKey + exportKey) and three DHs. No handshake on one thread can beat it.
 */
export async function xxDhWork(rig: DhRig): Promise<number> {
  const t0 = performance.now();
  for (let side = 0; side < 2; side++) {
    const e = await generateX25519();
    await crypto.subtle.exportKey('raw', e.publicKey);
    for (const pub of rig.pubs) {
      await crypto.subtle.deriveBits({ name: 'X25519', public: pub }, rig.priv, 256);
    }
  }
  return performance.now() - t0;
}
