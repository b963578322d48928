import { describe, expect, it } from 'vitest';
import { ErrorCode, isPeerlineError } from '../crypto/errors.ts';
import { createFakeClock } from './clock.ts';
import { asRtcSignal, createRtcLink, type PeerConfig, type PeerLike } from './rtc.ts';
import { routeFromStats } from './rtc-route.ts';

type Listener = (v?: unknown) => void;

/** Stands in for a simple-peer instance: the test fires its events by hand. */
class FakePeer implements PeerLike {
  connected = false;
  bufferSize = 7;
  destroyed = 0;
  readonly sent: Uint8Array[] = [];
  readonly signalled: object[] = [];
  stats: unknown[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly config: PeerConfig) {}

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: string, value?: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l(value);
  }
  signal(data: object): void {
    this.signalled.push(data);
  }
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  destroy(): void {
    this.destroyed++;
  }
  getStats(cb: (err: unknown, reports: unknown[]) => void): void {
    cb(null, this.stats);
  }
}

async function make(initiator = true, clock = createFakeClock()) {
  let peer: FakePeer | undefined;
  const link = await createRtcLink({
    initiator,
    clock,
    disconnectedGraceMs: 4_000,
    iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }],
    iceTransportPolicy: 'relay',
    factory: (config) => {
      peer = new FakePeer(config);
      return peer;
    },
  });
  if (!peer) throw new Error('factory not called');
  return { link, peer };
}

const OFFER = { type: 'offer', sdp: 'v=0…' };
const CANDIDATE = {
  type: 'candidate',
  candidate: {
    candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ relay',
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
};

describe('RtcLink', () => {
  it('passes ICE servers, the transport policy and an ordered channel to simple-peer', async () => {
    const { peer } = await make(false);
    expect(peer.config).toEqual({
      initiator: false,
      trickle: true,
      config: {
        iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }],
        iceTransportPolicy: 'relay',
      },
      channelConfig: { ordered: true },
    });
  });

  it('replays signals emitted before a listener attached, drops media-only ones', async () => {
    const { link, peer } = await make();
    peer.fire('signal', OFFER);
    peer.fire('signal', { type: 'renegotiate', renegotiate: true });
    peer.fire('signal', CANDIDATE);
    const got: unknown[] = [];
    link.onSignal((s) => got.push(s));
    expect(got).toEqual([
      { kind: 'description', type: 'offer', sdp: 'v=0…' },
      { kind: 'candidate', candidate: CANDIDATE.candidate },
    ]);
  });

  it('hands incoming signals to simple-peer in its own format', async () => {
    const { link, peer } = await make();
    link.signal({ kind: 'description', type: 'answer', sdp: 'x' });
    link.signal({ kind: 'candidate', candidate: CANDIDATE.candidate });
    expect(peer.signalled).toEqual([{ type: 'answer', sdp: 'x' }, CANDIDATE]);
  });

  it('is a Duplex: opens on connect, keeps early data until attached, throws 2001 when closed', async () => {
    const { link, peer } = await make();
    expect(link.state).toBe('connecting');
    expect(() => link.send(new Uint8Array([1]))).toThrow(
      expect.objectContaining({ code: ErrorCode.CONNECTION_LOST }),
    );
    // The peer's first frame can arrive before our 'connect' (stats lookup) fires.
    peer.fire('data', new Uint8Array([9]));
    peer.connected = true;
    peer.fire('connect');
    expect(link.state).toBe('open');
    expect(link.bufferedAmount).toBe(7);
    const events: string[] = [];
    link.attach({
      open: () => events.push('open'),
      message: (d) => events.push(`m${d.join(',')}`),
      close: () => events.push('close'),
    });
    await Promise.resolve();
    peer.fire('data', new Uint8Array([1, 2]).buffer);
    peer.fire('data', 'text frames are not ours');
    link.send(new Uint8Array([5]));
    expect(peer.sent).toEqual([new Uint8Array([5])]);
    peer.fire('error', Object.assign(new Error('x'), { code: 'ERR_ICE_CONNECTION_FAILURE' }));
    peer.fire('close');
    expect(events).toEqual(['m9', 'm1,2', 'close']);
    expect(link.state).toBe('closed');
    expect(link.failure).toBe('ERR_ICE_CONNECTION_FAILURE');
    let thrown: unknown;
    try {
      link.send(new Uint8Array([1]));
    } catch (e) {
      thrown = e;
    }
    expect(isPeerlineError(thrown, ErrorCode.CONNECTION_LOST)).toBe(true);
    expect(peer.destroyed).toBeGreaterThan(0);
  });

  it('closes an open link whose ICE stays disconnected for the grace period', async () => {
    const clock = createFakeClock();
    const { link, peer } = await make(true, clock);
    peer.connected = true;
    peer.fire('connect');
    const closes: string[] = [];
    link.attach({ open: () => undefined, message: () => undefined, close: () => closes.push('c') });
    // A short blip that recovers changes nothing.
    peer.fire('iceStateChange', 'disconnected');
    clock.advance(3_999);
    peer.fire('iceStateChange', 'connected');
    clock.advance(10_000);
    expect(link.state).toBe('open');
    peer.fire('iceStateChange', 'disconnected');
    clock.advance(3_999);
    expect(link.state).toBe('open');
    clock.advance(1);
    expect(link.state).toBe('closed');
    expect(link.failure).toBe('ERR_ICE_DISCONNECTED');
    expect(closes).toEqual(['c']);
  });

  it('maps a throwing RTCDataChannel.send to CONNECTION_LOST', async () => {
    const { link, peer } = await make();
    peer.connected = true;
    peer.fire('connect');
    peer.send = () => {
      throw new DOMException('closed', 'InvalidStateError');
    };
    expect(() => link.send(new Uint8Array([1]))).toThrow(
      expect.objectContaining({ code: ErrorCode.CONNECTION_LOST }),
    );
  });

  it('reports the selected candidate pair’s route once open', async () => {
    const { link, peer } = await make();
    expect(await link.route()).toBeUndefined();
    peer.connected = true;
    peer.fire('connect');
    peer.stats = [
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' },
      { id: 'L', type: 'local-candidate', candidateType: 'relay' },
      { id: 'R', type: 'remote-candidate', candidateType: 'host' },
    ];
    expect(await link.route()).toEqual({ kind: 'relayed', local: 'relay', remote: 'host' });
  });
});

describe('routeFromStats', () => {
  const pair = (l: string, r: string, extra: object = {}) => [
    { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', ...extra },
    { id: 'L', type: 'local-candidate', candidateType: l },
    { id: 'R', type: 'remote-candidate', candidateType: r },
  ];

  it('direct for host, srflx and prflx pairs; relayed when either end is relay', () => {
    const t = { id: 'T', type: 'transport', selectedCandidatePairId: 'P' };
    expect(routeFromStats([t, ...pair('host', 'host')])).toEqual({
      kind: 'direct',
      local: 'host',
      remote: 'host',
    });
    expect(routeFromStats([t, ...pair('srflx', 'prflx')])?.kind).toBe('direct');
    expect(routeFromStats([t, ...pair('host', 'relay')])?.kind).toBe('relayed');
  });

  it('falls back to a pair flagged selected; undefined without a usable pair', () => {
    expect(routeFromStats(pair('relay', 'relay', { selected: true }))?.kind).toBe('relayed');
    expect(routeFromStats(pair('relay', 'relay'))).toBeUndefined();
    expect(routeFromStats([{ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }])).toBe(
      undefined,
    );
    const t = { id: 'T', type: 'transport', selectedCandidatePairId: 'P' };
    expect(routeFromStats([t, ...pair('bogus', 'host')])).toBeUndefined();
    expect(routeFromStats([null, 3, 'x'])).toBeUndefined();
  });
});

describe('asRtcSignal', () => {
  it('validates what simple-peer emits', () => {
    expect(asRtcSignal(OFFER)).toEqual({ kind: 'description', type: 'offer', sdp: 'v=0…' });
    expect(asRtcSignal({ type: 'candidate', candidate: { candidate: 'c' } })).toEqual({
      kind: 'candidate',
      candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: null },
    });
    expect(asRtcSignal({ type: 'offer' })).toBeUndefined();
    expect(asRtcSignal({ type: 'candidate', candidate: { candidate: 1 } })).toBeUndefined();
    expect(asRtcSignal({ type: 'transceiverRequest' })).toBeUndefined();
    expect(asRtcSignal(null)).toBeUndefined();
  });
});

describe('RtcLink drain signal', () => {
  it('whenBufferedBelow resolves when low and rejects 2001 once closed', async () => {
    const { link, peer } = await make();
    peer.connected = true;
    peer.fire('connect');
    await link.whenBufferedBelow(7);
    const pending = link.whenBufferedBelow(0);
    peer.fire('close');
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.CONNECTION_LOST });
    await expect(link.whenBufferedBelow(0)).rejects.toMatchObject({ code: 2001 });
  });
});
