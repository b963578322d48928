// Signaling client (docs/signaling.md §Client): sends and receives sealed signals and fetches
// ICE servers over a self-healing Connection. Runs in browsers and in Node (inject WebSocket).
import { fromHex, toHex } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { open, ReplayCache, type Signer, seal } from '../crypto/seal.ts';
import type { BackoffPolicy } from './backoff.ts';
import { fromBase64, toBase64 } from './base64.ts';
import { type AppFrame, type ClientState, Connection } from './connection.ts';
import { type IceServer, isKeyHex, MAX_FRAME_BYTES, utf8Length } from './protocol.ts';
import { Requests } from './requests.ts';
import {
  type Clock,
  SignalingError,
  systemClock,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport.ts';

export type { ClientState } from './connection.ts';

export interface IncomingSignal {
  from: string;
  payload: Uint8Array;
  timestamp: number;
  /** Set when the signal waited in the Worker's offline queue. */
  queuedAt?: number;
}

export type SendResult = { status: 'delivered' } | { status: 'queued'; expiresAt: number };

export interface IceServers {
  iceServers: IceServer[];
  /** Unix seconds after which the TURN credentials stop working. */
  expiresAt: number;
}

export interface SignalingClientOptions {
  /** Base URL of the Worker, e.g. "wss://signal.example" or "ws://127.0.0.1:8787". */
  url: string;
  identity: Signer;
  /** The Origin the Worker will see (signed into registration). Default: location.origin. */
  origin?: string;
  /** Default: globalThis.WebSocket (Node 20 has none: pass the `ws` class). */
  WebSocket?: WebSocketConstructor;
  clock?: Clock;
  random?: () => number;
  replay?: ReplayCache;
  policy?: BackoffPolicy;
  /** Bound on registration and on each request's reply (default 10 s). */
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
  onState?: (s: ClientState) => void;
  onSignal?: (s: IncomingSignal) => void;
  /** A signal that failed to open: tampered, rewritten `from`, stale or replayed. */
  onRejected?: (from: string, error: PeerlineError) => void;
  /** A Worker error not tied to a request (e.g. 1000 for a frame it could not parse). */
  onServerError?: (error: SignalingError) => void;
}

function pageOrigin(): string {
  const loc: unknown = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof loc === 'string' ? loc : '';
}

export class SignalingClient {
  readonly address: string;
  private readonly conn: Connection;
  private readonly requests: Requests;
  private readonly clock: Clock;
  private readonly replay: ReplayCache;

  constructor(private readonly opts: SignalingClientOptions) {
    this.address = toHex(opts.identity.publicKey);
    this.clock = opts.clock ?? systemClock;
    this.replay = opts.replay ?? new ReplayCache();
    const timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.requests = new Requests(this.clock, timeoutMs);
    this.conn = new Connection({
      url: opts.url,
      keyHex: this.address,
      secretKey: opts.identity.secretKey,
      origin: opts.origin ?? pageOrigin(),
      WebSocket: opts.WebSocket,
      clock: this.clock,
      random: opts.random ?? Math.random,
      timeoutMs,
      pingMs: opts.pingIntervalMs ?? 30_000,
      ...(opts.policy ? { policy: opts.policy } : {}),
      onState: (s) => opts.onState?.(s),
      onFrame: (m) => this.onFrame(m),
      onDetach: (err) => this.requests.failAll(err),
    });
  }

  get state(): ClientState {
    return this.conn.state;
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    this.conn.stop();
  }

  /** The network is back or the page woke up: reconnect now, or check the live connection. */
  wake(): void {
    this.conn.wake();
  }

  private onFrame(m: AppFrame): void {
    switch (m.type) {
      case 'signal':
        this.receive(m.from, m.payload, m.queued_at);
        break;
      case 'sent':
      case 'ice_servers':
        this.requests.reply(m);
        break;
      case 'error': {
        const err = new SignalingError(m.code, m.message, m.retry_after);
        if (m.ref === undefined || !this.requests.fail(m.ref, err)) this.opts.onServerError?.(err);
        break;
      }
    }
  }

  private receive(from: string, payloadB64: string, queuedAt: number | undefined): void {
    const sealed = fromBase64(payloadB64);
    const claimed = fromHex(from);
    if (!sealed || !claimed) {
      this.opts.onRejected?.(from, new PeerlineError(ErrorCode.INVALID_FORMAT, 'not base64'));
      return;
    }
    try {
      const o = open(sealed, {
        recipient: this.opts.identity,
        claimedSender: claimed,
        replay: this.replay,
        now: this.clock.now(),
      });
      const q = queuedAt === undefined ? {} : { queuedAt };
      this.opts.onSignal?.({ from, payload: o.payload, timestamp: o.timestamp, ...q });
    } catch (e) {
      const err =
        e instanceof PeerlineError
          ? e
          : new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'open failed', { cause: e });
      this.opts.onRejected?.(from, err);
    }
  }

  /** Seals `payload` to `to` and routes it; resolves once the Worker delivered or queued it. */
  send(to: string, payload: Uint8Array): Promise<SendResult> {
    const recipient = isKeyHex(to) ? fromHex(to) : undefined;
    if (!recipient) {
      return Promise.reject(
        new SignalingError(ErrorCode.INVALID_FORMAT, 'recipient must be 64 hex'),
      );
    }
    try {
      this.readySocket(); // fail fast, before spending a seal on a dead connection
      const sealed = seal(this.opts.identity, recipient, payload, { now: this.clock.now() });
      return this.sendSealed(to, toBase64(sealed));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Routes an already sealed payload (base64), for callers that sealed ahead of time. */
  async sendSealed(to: string, payloadB64: string): Promise<SendResult> {
    const ws = this.readySocket();
    const reply = await this.requests.start('sent', (ref) => {
      const frame = JSON.stringify({ type: 'signal', to, payload: payloadB64, ref });
      if (utf8Length(frame) > MAX_FRAME_BYTES) {
        throw new SignalingError(ErrorCode.INVALID_FORMAT, 'frame too large');
      }
      ws.send(frame);
    });
    return reply.status === 'queued'
      ? { status: 'queued', expiresAt: reply.expires_at }
      : { status: 'delivered' };
  }

  /** Short-lived TURN credentials minted by the Worker for this key. */
  async iceServers(): Promise<IceServers> {
    const ws = this.readySocket();
    const reply = await this.requests.start('ice_servers', (ref) => {
      ws.send(JSON.stringify({ type: 'ice_servers', ref }));
    });
    return { iceServers: reply.ice_servers, expiresAt: reply.expires_at };
  }

  private readySocket(): WebSocketLike {
    const ws = this.conn.readySocket;
    if (!ws) {
      throw new SignalingError(
        ErrorCode.CONNECTION_LOST,
        `not connected (${this.conn.state.kind})`,
      );
    }
    return ws;
  }
}
