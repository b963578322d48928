import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type WS from 'ws';
import { fromHex, toHex, utf8 } from '../crypto/bytes.ts';
import { isPeerlineError, type PeerlineError } from '../crypto/errors.ts';
import { type Signer, seal } from '../crypto/seal.ts';
import { backoffDelay } from './backoff.ts';
import { toBase64 } from './base64.ts';
import { type ClientState, type IncomingSignal, SignalingClient } from './client.ts';
import { PING_FRAME, registerSignedBytes } from './protocol.ts';
import type { Clock, WebSocketConstructor } from './transport.ts';

class FakeClock implements Clock {
  t = 1_800_000_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  /** Runs due timers in time order, one at a time (each may schedule more). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

type Listener = (ev: never) => void;
const sockets: FakeSocket[] = [];

class FakeSocket {
  readyState = 1;
  sent: string[] = [];
  closedByClient = false;
  private listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {
    sockets.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.closedByClient = true;
  }
  addEventListener(type: 'open' | 'message' | 'close' | 'error', l: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  private emit(type: string, ev: unknown): void {
    for (const l of this.listeners.get(type) ?? []) (l as (e: unknown) => void)(ev);
  }
  serverSend(obj: unknown): void {
    this.emit('message', { data: JSON.stringify(obj) });
  }
  serverClose(code: number, reason = ''): void {
    this.emit('close', { code, reason });
  }
  lastSent(): Record<string, unknown> {
    return JSON.parse(this.sent.at(-1) ?? 'null') as Record<string, unknown>;
  }
}

function signer(b: number): Signer {
  const secretKey = new Uint8Array(32).fill(b);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

const ORIGIN = 'http://127.0.0.1:5173';
const CHALLENGE = 'ab'.repeat(32);

function setup(over: { random?: () => number } = {}) {
  sockets.length = 0;
  const clock = new FakeClock();
  const states: ClientState[] = [];
  const signals: IncomingSignal[] = [];
  const rejected: PeerlineError[] = [];
  const me = signer(7);
  const client = new SignalingClient({
    url: 'ws://signal.test/',
    identity: me,
    origin: ORIGIN,
    WebSocket: FakeSocket,
    clock,
    random: over.random ?? (() => 0.5),
    onState: (s) => states.push(s),
    onSignal: (s) => signals.push(s),
    onRejected: (_f, e) => rejected.push(e),
  });
  const sock = (): FakeSocket => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  const register = (connections = 1): void => {
    sock().serverSend({ type: 'challenge', challenge: CHALLENGE, expires_at: clock.t + 30_000 });
    sock().serverSend({ type: 'register_ok', key: client.address, connections, queued: 0 });
  };
  return { clock, states, signals, rejected, me, client, sock, register };
}

describe('SignalingClient registration', () => {
  it('accepts both the browser WebSocket and the ws class as its constructor', () => {
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<typeof WS>().toExtend<WebSocketConstructor>();
  });

  it('connects to /connect/<key> and answers the challenge with a valid signature', () => {
    const { client, sock, clock, me, states } = setup();
    client.start();
    expect(sock().url).toBe(`ws://signal.test/connect/${toHex(me.publicKey)}`);
    sock().serverSend({ type: 'challenge', challenge: CHALLENGE, expires_at: clock.t + 30_000 });
    const reg = sock().lastSent();
    expect(reg).toMatchObject({ type: 'register', key: toHex(me.publicKey), timestamp: clock.t });
    const msg = registerSignedBytes(CHALLENGE, ORIGIN, clock.t, toHex(me.publicKey));
    const sig = fromHex(String(reg.signature));
    if (!msg || !sig) throw new Error('unreachable');
    expect(ed25519.verify(sig, msg, me.publicKey, { zip215: false })).toBe(true);
    sock().serverSend({ type: 'register_ok', key: toHex(me.publicKey), connections: 2, queued: 0 });
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'registering', 'ready']);
    expect(client.state).toEqual({ kind: 'ready', connections: 2 });
  });

  it('times out a registration that never completes (2000) and backs off', () => {
    const { client, clock } = setup();
    client.start();
    clock.advance(10_000);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 1 });
    if (client.state.kind !== 'backoff') throw new Error('unreachable');
    expect(client.state.error.code).toBe(2000);
  });
});

describe('SignalingClient reconnect', () => {
  it('reconnects after a drop with ~1 s backoff and registers again', () => {
    const { client, clock, sock, register } = setup();
    client.start();
    register();
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 1, retryAt: clock.t + 1000 });
    clock.advance(999);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    expect(client.state).toEqual({ kind: 'connecting', attempt: 2 });
    register();
    expect(client.state.kind).toBe('ready');
  });

  it('backs off exponentially with jitter, opens the breaker after 10 failures, then probes', () => {
    const random = () => 0.9;
    const { client, clock, sock, register } = setup({ random });
    client.start();
    for (let n = 1; n <= 9; n++) {
      sock().serverClose(1006);
      const s = client.state;
      expect(s).toMatchObject({ kind: 'backoff', failures: n });
      if (s.kind !== 'backoff') throw new Error('unreachable');
      expect(s.retryAt - clock.t).toBe(backoffDelay(n, random));
      clock.advance(s.retryAt - clock.t);
    }
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'circuit-open', retryAt: clock.t + 60_000 });
    const before = sockets.length;
    clock.advance(59_999);
    expect(sockets.length).toBe(before);
    clock.advance(1);
    expect(sockets.length).toBe(before + 1); // the probe
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'circuit-open', retryAt: clock.t + 120_000 });
    clock.advance(120_000);
    register();
    expect(client.state.kind).toBe('ready');
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 1 });
  });

  it('stops for good when banned or replaced, with the reason', () => {
    const a = setup();
    a.client.start();
    a.register();
    a.sock().serverSend({ type: 'error', code: 1006, message: 'banned: spam', close: 4003 });
    expect(a.client.state).toEqual({ kind: 'closed', reason: 'banned', message: 'banned: spam' });
    expect(a.sock().closedByClient).toBe(true);
    a.clock.advance(600_000);
    expect(sockets).toHaveLength(1);
    const b = setup();
    b.client.start();
    b.register();
    b.sock().serverClose(4004, 'replaced');
    expect(b.client.state).toEqual({ kind: 'closed', reason: 'replaced', message: 'replaced' });
  });

  it('pings while ready and gives up on a silent path after two intervals', () => {
    const { client, clock, sock, register } = setup();
    client.start();
    register();
    clock.advance(30_000);
    expect(sock().sent.at(-1)).toBe(PING_FRAME);
    clock.advance(30_000);
    expect(sock().sent.at(-1)).toBe(PING_FRAME);
    clock.advance(30_000);
    expect(client.state).toMatchObject({ kind: 'backoff' });
  });
});

describe('SignalingClient wake (online event, page shown again)', () => {
  it('skips the rest of the backoff and connects at once', () => {
    const { client, clock, sock, register } = setup();
    client.start();
    register();
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 1 });
    clock.advance(1000);
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 2 });
    client.wake();
    expect(sockets).toHaveLength(3);
    expect(client.state).toEqual({ kind: 'connecting', attempt: 3 });
    register();
    expect(client.state.kind).toBe('ready');
    clock.advance(10_000); // the cancelled backoff timer does not open a fourth socket
    expect(sockets).toHaveLength(3);
  });

  it('probes an open breaker once; a failed probe doubles the open period', () => {
    const { client, clock, sock } = setup();
    client.start();
    for (let n = 1; n <= 10; n++) {
      sock().serverClose(1006);
      const s = client.state;
      if (s.kind === 'backoff') clock.advance(s.retryAt - clock.t);
    }
    expect(client.state).toMatchObject({ kind: 'circuit-open', retryAt: clock.t + 60_000 });
    const before = sockets.length;
    client.wake();
    expect(sockets).toHaveLength(before + 1);
    sock().serverClose(1006);
    expect(client.state).toMatchObject({ kind: 'circuit-open', retryAt: clock.t + 120_000 });
  });

  it('checks a ready connection with a ping: no reply within 10 s is a drop', () => {
    const { client, clock, sock, register } = setup();
    client.start();
    register();
    client.wake();
    expect(sock().sent.at(-1)).toBe(PING_FRAME);
    sock().serverSend({ type: 'pong' });
    clock.advance(10_000);
    expect(client.state.kind).toBe('ready');
    client.wake();
    clock.advance(9_999);
    expect(client.state.kind).toBe('ready');
    clock.advance(1);
    expect(client.state).toMatchObject({ kind: 'backoff', failures: 1 });
    expect(sock().closedByClient).toBe(true);
  });

  it('does nothing before start, while connecting, or once stopped', () => {
    const { client, clock } = setup();
    client.wake();
    expect(sockets).toHaveLength(0);
    client.start();
    client.wake();
    expect(sockets).toHaveLength(1);
    client.stop();
    client.wake();
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(client.state).toMatchObject({ kind: 'closed', reason: 'stopped' });
  });
});

describe('SignalingClient messages', () => {
  it('seals outgoing signals and resolves on the Worker acknowledgement', async () => {
    const { client, sock, register, me } = setup();
    const peer = signer(8);
    client.start();
    register();
    const p = client.send(toHex(peer.publicKey), utf8('offer'));
    const frame = sock().lastSent();
    expect(frame).toMatchObject({ type: 'signal', to: toHex(peer.publicKey), ref: 'r1' });
    sock().serverSend({ type: 'sent', ref: 'r1', status: 'queued', expires_at: 123 });
    expect(await p).toEqual({ status: 'queued', expiresAt: 123 });
    expect(String(frame.payload)).not.toContain(toHex(me.publicKey));
  });

  it('rejects with the Worker error and retry_after, or 2001 when not connected', async () => {
    const { client, sock, register } = setup();
    await expect(client.send(toHex(signer(9).publicKey), utf8('x'))).rejects.toMatchObject({
      code: 2001,
    });
    client.start();
    register();
    const p = client.send(toHex(signer(9).publicKey), utf8('x'));
    sock().serverSend({
      type: 'error',
      code: 1004,
      message: 'slow down',
      ref: 'r1',
      retry_after: 3,
    });
    await expect(p).rejects.toMatchObject({ code: 1004, retryAfter: 3 });
    const q = client.iceServers();
    sock().serverClose(1006);
    await expect(q).rejects.toMatchObject({ code: 2001 });
  });

  it('opens incoming signals, and reports tampered or re-attributed ones', () => {
    const { client, sock, register, signals, rejected, me, clock } = setup();
    const alice = signer(10);
    const mallory = signer(11);
    client.start();
    register();
    const sealed = seal(alice, me.publicKey, utf8('answer'), { now: clock.t });
    sock().serverSend({ type: 'signal', from: toHex(alice.publicKey), payload: toBase64(sealed) });
    expect(signals).toEqual([
      { from: toHex(alice.publicKey), payload: utf8('answer'), timestamp: clock.t },
    ]);
    const tampered = sealed.slice();
    tampered[50] = (tampered[50] ?? 0) ^ 1;
    sock().serverSend({
      type: 'signal',
      from: toHex(alice.publicKey),
      payload: toBase64(tampered),
    });
    const other = seal(alice, me.publicKey, utf8('x'), { now: clock.t });
    sock().serverSend({ type: 'signal', from: toHex(mallory.publicKey), payload: toBase64(other) });
    expect(rejected.map((e) => isPeerlineError(e) && e.code)).toEqual([1003, 1011]);
    expect(signals).toHaveLength(1);
  });
});
