// Test doubles for link-manager tests: a signaling hub with the Worker's delivered/queued
// semantics, and data channels made of in-memory duplex pairs that connect through the same
// offer/answer exchange as WebRTC (the "SDP" is a token naming the pair).

import { toHex } from '../crypto/bytes.ts';
import { generateIdentity, type Identity } from '../crypto/identity.ts';
import { DEFAULT_POLICY } from '../signaling/backoff.ts';
import { createFakeClock, type FakeClock } from './clock.ts';
import {
  createDuplexPair,
  type Duplex,
  type DuplexHandlers,
  type DuplexPair,
  type DuplexState,
} from './duplex.ts';
import { LinkManager, type LinkState } from './link-manager.ts';
import { encodeLinkSignal, type LinkSignal } from './link-signal.ts';
import type { LinkEnv, SendOutcome } from './link-types.ts';
import type { Route, RtcSignal, SignalingDuplex } from './rtc.ts';

const pairs = new Map<string, DuplexPair>();
let nextToken = 0;

/** One end of an in-memory pair, bound once the offer (initiator: the answer) is signalled. */
export class MemoryTransport implements SignalingDuplex {
  private end: Duplex | undefined;
  private handlers: DuplexHandlers | undefined;
  private readonly listeners = new Set<(s: RtcSignal) => void>();
  private readonly backlog: RtcSignal[] = [];
  private pair: DuplexPair | undefined;
  private closedEarly = false;

  constructor(readonly initiator: boolean) {
    if (initiator) {
      const token = `pair-${++nextToken}`;
      this.pair = createDuplexPair({ open: 'manual' });
      pairs.set(token, this.pair);
      this.bind(this.pair.a);
      queueMicrotask(() => {
        this.emit({ kind: 'description', type: 'offer', sdp: token });
        this.emit({
          kind: 'candidate',
          candidate: { candidate: 'c-i', sdpMid: '0', sdpMLineIndex: 0 },
        });
      });
    }
  }

  get state(): DuplexState {
    if (this.closedEarly) return 'closed';
    return this.end?.state ?? 'connecting';
  }

  get bufferedAmount(): number {
    return this.end?.bufferedAmount ?? 0;
  }

  send(data: Uint8Array): void {
    if (!this.end) throw new Error('not bound');
    this.end.send(data);
  }

  close(): void {
    if (this.end) this.end.close();
    else if (!this.closedEarly) {
      this.closedEarly = true;
      this.handlers?.close();
    }
  }

  attach(handlers: DuplexHandlers): () => void {
    this.handlers = handlers;
    const inner = this.end?.attach(handlers);
    return () => {
      if (this.handlers === handlers) this.handlers = undefined;
      inner?.();
    };
  }

  onSignal(listener: (s: RtcSignal) => void): () => void {
    this.listeners.add(listener);
    for (const s of this.backlog.splice(0)) listener(s);
    return () => this.listeners.delete(listener);
  }

  signal(s: RtcSignal): void {
    if (s.kind !== 'description') return;
    const pair = pairs.get(s.sdp);
    if (!pair) return;
    if (s.type === 'offer' && !this.initiator && !this.end) {
      this.pair = pair;
      this.bind(pair.b);
      queueMicrotask(() => {
        this.emit({ kind: 'description', type: 'answer', sdp: s.sdp });
        this.emit({
          kind: 'candidate',
          candidate: { candidate: 'c-r', sdpMid: null, sdpMLineIndex: null },
        });
      });
    } else if (s.type === 'answer' && this.initiator && pair === this.pair) {
      queueMicrotask(() => pair.open());
    }
  }

  route(): Promise<Route | undefined> {
    return Promise.resolve({ kind: 'direct', local: 'host', remote: 'host' });
  }

  /** The link underneath dies (both ends at once), like a lost ICE connection. */
  fail(): void {
    this.pair?.fail();
  }

  private bind(end: Duplex): void {
    this.end = end;
    if (this.handlers) end.attach(this.handlers);
  }

  private emit(s: RtcSignal): void {
    if (this.listeners.size === 0) this.backlog.push(s);
    else for (const l of [...this.listeners]) l(s);
  }
}

interface Queued {
  readonly from: string;
  readonly payload: Uint8Array;
}

export interface Peer {
  readonly id: Identity;
  readonly key: string;
  readonly manager: LinkManager;
  readonly transports: MemoryTransport[];
  readonly sent: { to: string; signal: LinkSignal }[];
  readonly states: Map<string, LinkState[]>;
}

/** The Worker's routing: delivered when the recipient is online, else queued until it is. */
export class Hub {
  readonly clock: FakeClock = createFakeClock();
  private readonly peers = new Map<string, Peer>();
  private readonly online = new Set<string>();
  private readonly queues = new Map<string, Queued[]>();
  /** Rewrites a signal's route: return the recipient to deliver to and the `from` it shows. */
  route: (from: string, to: string) => { to: string; from: string } = (from, to) => ({ from, to });

  peer(identity: Identity = generateIdentity()): Peer {
    const key = toHex(identity.edPublicKey);
    const transports: MemoryTransport[] = [];
    const sent: Peer['sent'] = [];
    const env: LinkEnv = {
      identity,
      clock: this.clock,
      random: () => 0.5,
      policy: DEFAULT_POLICY,
      attemptTimeoutMs: 20_000,
      sendSignal: (to, signal) => {
        sent.push({ to, signal });
        return this.send(key, to, signal);
      },
      openTransport: async (initiator) => {
        const t = new MemoryTransport(initiator);
        transports.push(t);
        return t;
      },
      hello: () => ({ agent: 'test' }),
    };
    const manager = new LinkManager(env);
    const states = new Map<string, LinkState[]>();
    manager.on('state', ({ contact, state }) => {
      const list = states.get(contact) ?? [];
      list.push(state);
      states.set(contact, list);
    });
    const p: Peer = { id: identity, key, manager, transports, sent, states };
    this.peers.set(key, p);
    return p;
  }

  goOnline(p: Peer): void {
    this.online.add(p.key);
    const queued = this.queues.get(p.key) ?? [];
    this.queues.delete(p.key);
    // As the Worker does: register_ok first, then the queued signals, in arrival order.
    p.manager.signalingReady();
    for (const q of queued) p.manager.handleSignal(q.from, q.payload, true);
  }

  goOffline(p: Peer): void {
    this.online.delete(p.key);
    p.manager.signalingDown();
  }

  private send(from: string, to: string, signal: LinkSignal): Promise<SendOutcome> {
    if (!this.online.has(from)) return Promise.reject(new Error('not registered'));
    const r = this.route(from, to);
    const payload = encodeLinkSignal(signal);
    const target = this.peers.get(r.to);
    if (!target || !this.online.has(r.to)) {
      const q = this.queues.get(r.to) ?? [];
      q.push({ from: r.from, payload });
      this.queues.set(r.to, q);
      return Promise.resolve('queued');
    }
    queueMicrotask(() => target.manager.handleSignal(r.from, payload, false));
    return Promise.resolve('delivered');
  }
}

/** Resolves when `p`'s link to `contact` reaches a state of `kind` (now or later). */
export function until(p: Peer, contact: string, kind: LinkState['kind']): Promise<LinkState> {
  const now = p.manager.state(contact);
  if (now.kind === kind) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = p.manager.on('state', (e) => {
      if (e.contact !== contact || e.state.kind !== kind) return;
      off();
      resolve(e.state);
    });
  });
}

/** Connected with the route already known (the state after the route lookup). */
export function routed(p: Peer, contact: string): Promise<LinkState> {
  const now = p.manager.state(contact);
  if (now.kind === 'connected' && now.route) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = p.manager.on('state', (e) => {
      if (e.contact !== contact || e.state.kind !== 'connected' || !e.state.route) return;
      off();
      resolve(e.state);
    });
  });
}

/** Identities sorted by address, so tests can pick who offers. */
export function sortedIdentities(n: number): Identity[] {
  const ids = Array.from({ length: n }, () => generateIdentity());
  return ids.sort((a, b) => (toHex(a.edPublicKey) < toHex(b.edPublicKey) ? -1 : 1));
}
