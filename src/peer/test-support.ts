// Helpers for src/peer tests: real identities and real Noise over the in-memory duplex pair.
// Waiting is event-driven (no sleeps): a helper resolves when the awaited event happens.

import { generateIdentity, type Identity } from '../crypto/identity.ts';
import type { TransportState } from '../crypto/noise/index.ts';
import type { Clock } from './clock.ts';
import { createDuplexPair, type DuplexPair, type DuplexPairOptions } from './duplex.ts';
import { createXX, PROLOGUE } from './noise-session.ts';
import {
  createSession,
  type PeerSession,
  type SessionEvents,
  type SessionOptions,
} from './session.ts';
import type { SessionState } from './session-state.ts';
import { RawPeer } from './test-peer.ts';

export function nextEvent<K extends keyof SessionEvents>(
  session: PeerSession,
  event: K,
  match: (v: SessionEvents[K]) => boolean = () => true,
): Promise<SessionEvents[K]> {
  return new Promise((resolve) => {
    const off = session.on(event, (v) => {
      if (!match(v)) return;
      off();
      resolve(v);
    });
  });
}

/** Resolves with the final state once the session is DISCONNECTED (now or later). */
export function disconnected(
  session: PeerSession,
): Promise<Extract<SessionState, { name: 'disconnected' }>> {
  const s = session.state;
  if (s.name === 'disconnected' && s.reason !== undefined) return Promise.resolve(s);
  return nextEvent(session, 'state', (v) => v.name === 'disconnected') as Promise<
    Extract<SessionState, { name: 'disconnected' }>
  >;
}

export function connected(session: PeerSession): Promise<SessionState> {
  if (session.state.name === 'connected') return Promise.resolve(session.state);
  return nextEvent(session, 'state', (v) => v.name === 'connected' || v.name === 'disconnected');
}

export function recordStates(session: PeerSession): string[] {
  const names: string[] = [session.state.name];
  session.on('state', (s) => names.push(s.name));
  return names;
}

export interface PairSetup {
  readonly pair: DuplexPair;
  readonly a: PeerSession;
  readonly b: PeerSession;
  readonly idA: Identity;
  readonly idB: Identity;
}

type SideOptions = Partial<Omit<SessionOptions, 'duplex' | 'role'>>;

export interface PairOptions {
  readonly duplex?: DuplexPairOptions;
  readonly clock?: Clock;
  readonly a?: SideOptions;
  readonly b?: SideOptions;
  /** Default: each side expects the other's key. */
  readonly expect?: 'both' | 'none';
}

/** Builds (does not start) an initiator `a` and a responder `b` over one duplex pair. */
export function makePair(opts: PairOptions = {}): PairSetup {
  const idA = opts.a?.identity ?? generateIdentity();
  const idB = opts.b?.identity ?? generateIdentity();
  const pair = createDuplexPair({ ...(opts.clock ? { clock: opts.clock } : {}), ...opts.duplex });
  const expect = (opts.expect ?? 'both') === 'both';
  const common = opts.clock ? { clock: opts.clock } : {};
  const a = createSession({
    duplex: pair.a,
    role: 'initiator',
    identity: idA,
    ...(expect ? { expectedPeer: idB.edPublicKey } : {}),
    ...common,
    ...opts.a,
  });
  const b = createSession({
    duplex: pair.b,
    role: 'responder',
    identity: idB,
    ...(expect ? { expectedPeer: idA.edPublicKey } : {}),
    ...common,
    ...opts.b,
  });
  return { pair, a, b, idA, idB };
}

/** makePair, start both, and wait until both are CONNECTED and have read each other's hello. */
export async function connectPair(opts: PairOptions = {}): Promise<PairSetup> {
  const setup = makePair(opts);
  const helloA = nextEvent(setup.a, 'message', (m) => m.type === 'hello');
  const helloB = nextEvent(setup.b, 'message', (m) => m.type === 'hello');
  setup.b.start();
  setup.a.start();
  const [sa, sb] = await Promise.all([connected(setup.a), connected(setup.b)]);
  if (sa.name !== 'connected' || sb.name !== 'connected') {
    throw new Error(`handshake failed: ${JSON.stringify([sa, sb])}`);
  }
  await Promise.all([helloA, helloB]);
  return setup;
}

/** Two TransportStates from a real XX handshake between fresh identities (no framing). */
export async function noiseTransports(): Promise<{ i: TransportState; r: TransportState }> {
  const [idI, idR] = [generateIdentity(), generateIdentity()];
  const i = await createXX(idI, true, PROLOGUE, undefined);
  const r = await createXX(idR, false, PROLOGUE, undefined);
  await r.readMessage(await i.writeMessage(new Uint8Array(0)));
  await i.readMessage(await r.writeMessage(new Uint8Array(0)));
  await r.readMessage(await i.writeMessage(new Uint8Array(0)));
  return { i: i.intoTransport(), r: r.intoTransport() };
}

/** A RawPeer (initiator) connected to a real responder Session; the hello has been read. */
export async function rawConnected(sessionOpts: Partial<SessionOptions> = {}) {
  const pair = createDuplexPair();
  const raw = new RawPeer(pair.a, { role: 'initiator' });
  const session = createSession({
    duplex: pair.b,
    role: 'responder',
    identity: generateIdentity(),
    ...sessionOpts,
  });
  session.start();
  await raw.handshake();
  await connected(session);
  const hello = await raw.nextFrame();
  return { pair, raw, session, hello };
}
