// A WebRTC data channel as a Duplex (duplex.ts): the only file that knows simple-peer. It adds
// what a session does not see: the signals to exchange (SDP descriptions, trickled ICE
// candidates) and, once open, which route the selected ICE candidate pair took.
//
// simple-peer is loaded on first use (dynamic import), so the first screen's bundle does not
// carry it and Node tests can inject a fake peer instead (`factory`).

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { type Clock, systemClock, type TimerHandle } from './clock.ts';
import type { Duplex, DuplexHandlers, DuplexState } from './duplex.ts';
import { ChannelDrain } from './rtc-drain.ts';
import { type Route, routeFromStats } from './rtc-route.ts';

export type { CandidateType, Route } from './rtc-route.ts';

export interface IceCandidateInit {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
}

/** What one side must pass to the other, in order (WebRTC offer/answer + trickle ICE). */
export type RtcSignal =
  | { readonly kind: 'description'; readonly type: 'offer' | 'answer'; readonly sdp: string }
  | { readonly kind: 'candidate'; readonly candidate: IceCandidateInit };

/** The subset of a simple-peer instance used here; tests provide a fake. */
export interface PeerLike {
  readonly connected: boolean;
  readonly bufferSize: number;
  on(
    event: 'signal' | 'data' | 'error' | 'iceStateChange',
    listener: (value: unknown) => void,
  ): unknown;
  on(event: 'connect' | 'close' | 'disconnect', listener: () => void): unknown;
  signal(data: object): void;
  send(data: Uint8Array): void;
  destroy(): void;
  getStats(cb: (err: unknown, reports: unknown[]) => void): void;
}

export interface PeerConfig {
  readonly initiator: boolean;
  readonly trickle: true;
  readonly config: RTCConfiguration;
  readonly channelConfig: RTCDataChannelInit;
}

export type PeerFactory = (config: PeerConfig) => PeerLike;

export interface RtcOptions {
  /** The WebRTC offerer; in Peerline also the Noise initiator (PROTOCOL.md §2). */
  readonly initiator: boolean;
  readonly iceServers: readonly RTCIceServer[];
  /** 'relay' forces TURN (tests, or users hiding their IP from contacts). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly factory?: PeerFactory;
  readonly clock?: Clock;
  /**
   * An open link whose ICE state stays 'disconnected' this long is treated as lost. Chromium
   * takes 15–30 s to declare it 'failed' when the peer vanished (closed laptop, killed browser);
   * a fresh connection is cheaper than waiting, and the outbox resends what was not confirmed.
   */
  readonly disconnectedGraceMs?: number;
}

export const DISCONNECTED_GRACE_MS = 4_000;
/** A Duplex that still has to be connected by exchanging signals with the other side. */
export interface SignalingDuplex extends Duplex {
  /** Signals to send to the other side; ones emitted before a listener attached are replayed. */
  onSignal(listener: (s: RtcSignal) => void): () => void;
  /** A signal from the other side. Ignored once closed. */
  signal(s: RtcSignal): void;
  /** The selected candidate pair's route; undefined until open or if stats say nothing. */
  route(): Promise<Route | undefined>;
}

let loading: Promise<PeerFactory> | undefined;

/** simple-peer's lite build (data channels only) behind the PeerFactory shape. */
function loadSimplePeer(): Promise<PeerFactory> {
  loading ??= import('@thaunknown/simple-peer/lite.js').then(
    (m) => (config: PeerConfig) => new m.default(config),
  );
  return loading;
}

export async function createRtcLink(opts: RtcOptions): Promise<RtcLink> {
  const factory = opts.factory ?? (await loadSimplePeer());
  return new RtcLink(factory, opts);
}

function asBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return undefined;
}

/** simple-peer's outgoing signal objects, validated into RtcSignal; others are dropped. */
export function asRtcSignal(data: unknown): RtcSignal | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if ((d.type === 'offer' || d.type === 'answer') && typeof d.sdp === 'string') {
    return { kind: 'description', type: d.type, sdp: d.sdp };
  }
  const c = d.candidate;
  if (d.type === 'candidate' && typeof c === 'object' && c !== null) {
    const cand = c as Record<string, unknown>;
    if (typeof cand.candidate !== 'string') return undefined;
    return {
      kind: 'candidate',
      candidate: {
        candidate: cand.candidate,
        sdpMid: typeof cand.sdpMid === 'string' ? cand.sdpMid : null,
        sdpMLineIndex: typeof cand.sdpMLineIndex === 'number' ? cand.sdpMLineIndex : null,
      },
    };
  }
  // `renegotiate` / `transceiverRequest`: media only, never used for a data channel.
  return undefined;
}

export class RtcLink implements SignalingDuplex {
  private current: DuplexState = 'connecting';
  private handlers: DuplexHandlers | undefined;
  private readonly peer: PeerLike;
  /** Messages that arrived before the consumer attached (the peer's channel opened first). */
  private readonly early: Uint8Array[] = [];
  private readonly outgoing: RtcSignal[] = [];
  private readonly signalListeners = new Set<(s: RtcSignal) => void>();
  /** simple-peer's error code of the failure that closed the link, for diagnostics. */
  failure: string | undefined;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private disconnectedTimer: TimerHandle | undefined;
  private readonly drain: ChannelDrain;

  constructor(factory: PeerFactory, opts: RtcOptions) {
    this.clock = opts.clock ?? systemClock;
    this.graceMs = opts.disconnectedGraceMs ?? DISCONNECTED_GRACE_MS;
    this.peer = factory({
      initiator: opts.initiator,
      trickle: true,
      config: { iceServers: [...opts.iceServers], iceTransportPolicy: opts.iceTransportPolicy },
      // Reliable and ordered: the session's frame sequence numbers require it (PROTOCOL.md §3.1).
      channelConfig: { ordered: true },
    });
    this.drain = new ChannelDrain(this.peer, this.clock, () => this.bufferedAmount);
    this.peer.on('signal', (data) => this.emitSignal(data));
    this.peer.on('data', (data) => this.receive(data));
    this.peer.on('connect', () => this.opened());
    this.peer.on('error', (err) => {
      const code = (err as { code?: unknown } | null)?.code;
      this.failure = typeof code === 'string' ? code : 'ERR_UNKNOWN';
      this.closed();
    });
    this.peer.on('iceStateChange', (state) => this.iceState(state));
    this.peer.on('close', () => this.closed());
    this.peer.on('disconnect', () => this.closed());
  }

  get state(): DuplexState {
    return this.current;
  }

  get bufferedAmount(): number {
    return this.current === 'open' ? this.peer.bufferSize : 0;
  }

  whenBufferedBelow(threshold: number): Promise<void> {
    if (this.current === 'closed') {
      return Promise.reject(new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel closed'));
    }
    return this.drain.wait(threshold);
  }

  attach(handlers: DuplexHandlers): () => void {
    this.handlers = handlers;
    if (this.current === 'open' && this.early.length > 0) queueMicrotask(() => this.flushEarly());
    return () => {
      if (this.handlers === handlers) this.handlers = undefined;
    };
  }

  send(data: Uint8Array): void {
    if (this.current !== 'open' || !this.peer.connected) {
      throw new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel not open');
    }
    try {
      // RTCDataChannel.send copies the view's bytes before returning (the Duplex contract).
      this.peer.send(data);
    } catch (cause) {
      // RTCDataChannel.send throws when the channel closed under us or its buffer is full.
      throw new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel send failed', { cause });
    }
  }

  close(): void {
    if (this.current === 'closed') return;
    this.peer.destroy();
    this.closed();
  }

  onSignal(listener: (s: RtcSignal) => void): () => void {
    this.signalListeners.add(listener);
    const backlog = this.outgoing.splice(0);
    for (const s of backlog) listener(s);
    return () => this.signalListeners.delete(listener);
  }

  signal(s: RtcSignal): void {
    if (this.current === 'closed') return;
    try {
      if (s.kind === 'description') this.peer.signal({ type: s.type, sdp: s.sdp });
      else this.peer.signal({ type: 'candidate', candidate: s.candidate });
    } catch {
      // A destroyed peer throws; its close event already ended the link.
    }
  }

  route(): Promise<Route | undefined> {
    if (this.current !== 'open') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.peer.getStats((err, reports) => resolve(err ? undefined : routeFromStats(reports)));
    });
  }

  private emitSignal(data: unknown): void {
    const s = asRtcSignal(data);
    if (s === undefined || this.current === 'closed') return;
    if (this.signalListeners.size === 0) {
      this.outgoing.push(s);
      return;
    }
    for (const l of [...this.signalListeners]) l(s);
  }

  private receive(data: unknown): void {
    const bytes = asBytes(data);
    if (bytes === undefined || this.current === 'closed') return;
    if (this.current === 'open' && this.handlers && this.early.length === 0) {
      this.handlers.message(bytes);
    } else {
      this.early.push(bytes);
    }
  }

  private flushEarly(): void {
    while (this.current === 'open' && this.handlers && this.early.length > 0) {
      const next = this.early.shift();
      if (next) this.handlers.message(next);
    }
  }

  private opened(): void {
    if (this.current !== 'connecting') return;
    this.current = 'open';
    this.handlers?.open();
    this.flushEarly();
  }

  private iceState(state: unknown): void {
    if (state === 'disconnected') {
      if (this.disconnectedTimer !== undefined || this.current !== 'open') return;
      this.disconnectedTimer = this.clock.setTimeout(() => {
        this.disconnectedTimer = undefined;
        this.failure = 'ERR_ICE_DISCONNECTED';
        this.closed();
      }, this.graceMs);
    } else if (this.disconnectedTimer !== undefined) {
      this.clock.clearTimeout(this.disconnectedTimer);
      this.disconnectedTimer = undefined;
    }
  }

  private closed(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    if (this.disconnectedTimer !== undefined) this.clock.clearTimeout(this.disconnectedTimer);
    this.drain.close();
    this.early.length = 0;
    this.signalListeners.clear();
    this.peer.destroy();
    this.handlers?.close();
  }
}
