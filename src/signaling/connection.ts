// The signaling connection as an explicit state machine (docs/signaling.md §Client):
//   idle → connecting → registering → ready → (drop) backoff | circuit-open → connecting …
//   any → closed (stopped by the app, banned, or replaced by a newer connection of this key)
// Registration is redone on every reconnect; the backoff and breaker policy lives in backoff.ts.
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../crypto/bytes.ts';
import { ErrorCode, type PeerlineError } from '../crypto/errors.ts';
import {
  type BackoffPolicy,
  type Breaker,
  CLOSED,
  DEFAULT_POLICY,
  nextAttemptIn,
  onFailure,
  onSuccess,
  tick,
} from './backoff.ts';
import {
  CloseCode,
  PING_FRAME,
  parseServerMessage,
  registerSignedBytes,
  type ServerMessage,
} from './protocol.ts';
import {
  type Clock,
  defaultWebSocket,
  SignalingError,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport.ts';

export type ClientState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'registering'; attempt: number }
  | { kind: 'ready'; connections: number }
  | { kind: 'backoff'; retryAt: number; failures: number; error: PeerlineError }
  | { kind: 'circuit-open'; retryAt: number; error: PeerlineError }
  | { kind: 'closed'; reason: 'stopped' | 'banned' | 'replaced'; message: string };

/** Frames the connection does not consume itself: they go to the client layer. */
export type AppFrame = Extract<
  ServerMessage,
  { type: 'signal' | 'sent' | 'ice_servers' | 'error' }
>;

export interface ConnectionOptions {
  url: string;
  keyHex: string;
  secretKey: Uint8Array;
  origin: string;
  WebSocket: WebSocketConstructor | undefined;
  clock: Clock;
  random: () => number;
  timeoutMs: number;
  pingMs: number;
  policy?: BackoffPolicy;
  onState: (s: ClientState) => void;
  onFrame: (m: AppFrame) => void;
  /** The socket is gone: everything in flight on it has failed with this error. */
  onDetach: (err: PeerlineError) => void;
}

export class Connection {
  private st: ClientState = { kind: 'idle' };
  private breaker: Breaker = CLOSED;
  private attempt = 0;
  private ws: WebSocketLike | undefined;
  private timer: unknown;
  private pingTimer: unknown;
  private lastFrameAt = 0;
  /** Frames received on any socket, to tell whether a probe ping was answered. */
  private framesIn = 0;

  constructor(private readonly o: ConnectionOptions) {}

  get state(): ClientState {
    return this.st;
  }

  /** The socket, only while registered. */
  get readySocket(): WebSocketLike | undefined {
    return this.st.kind === 'ready' ? this.ws : undefined;
  }

  start(): void {
    if (this.st.kind === 'idle') this.connect();
  }

  stop(): void {
    this.terminate({ kind: 'closed', reason: 'stopped', message: 'stopped by the application' });
  }

  /**
   * The way to the server may have changed (the network came back, the machine woke up): a
   * connection waiting out its backoff, or its open breaker (as one half-open probe), tries now;
   * a ready one proves its path with a ping, answered within `timeoutMs` or treated as dropped.
   * These events are rare and come from the OS or the user, so skipping the wait cannot hammer
   * the server the way a retry loop would.
   */
  wake(): void {
    switch (this.st.kind) {
      case 'backoff':
        this.o.clock.clearTimeout(this.timer);
        this.connect();
        return;
      case 'circuit-open':
        this.o.clock.clearTimeout(this.timer);
        if (this.breaker.state === 'open') {
          this.breaker = { state: 'half-open', opened: this.breaker.opened };
        }
        this.connect();
        return;
      case 'ready': {
        if (!this.ws) return;
        const since = this.framesIn;
        this.ws.send(PING_FRAME);
        this.arm(this.o.timeoutMs, () => {
          if (this.st.kind === 'ready' && this.framesIn === since) {
            this.fail(new SignalingError(ErrorCode.NETWORK_TIMEOUT, 'no reply to a ping'));
          }
        });
        return;
      }
      default:
        return;
    }
  }

  private set(s: ClientState): void {
    this.st = s;
    this.o.onState(s);
  }

  private connect(): void {
    this.attempt += 1;
    this.set({ kind: 'connecting', attempt: this.attempt });
    let ws: WebSocketLike;
    try {
      const Ctor = this.o.WebSocket ?? defaultWebSocket();
      ws = new Ctor(`${this.o.url.replace(/\/+$/, '')}/connect/${this.o.keyHex}`);
    } catch (e) {
      const detail = e instanceof Error ? e.message : 'cannot open a WebSocket';
      this.fail(new SignalingError(ErrorCode.SERVER_UNAVAILABLE, detail));
      return;
    }
    this.ws = ws;
    ws.addEventListener('message', (ev) => {
      if (this.ws === ws && typeof ev.data === 'string') this.onText(ev.data);
    });
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      if (ev.code === CloseCode.BANNED || ev.code === CloseCode.REPLACED) {
        this.kicked(ev.code, ev.reason);
      } else this.fail(new SignalingError(ErrorCode.CONNECTION_LOST, `closed (${ev.code})`));
    });
    this.arm(this.o.timeoutMs, () => {
      this.fail(new SignalingError(ErrorCode.NETWORK_TIMEOUT, 'registration timed out'));
    });
  }

  private arm(ms: number, fn: () => void): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = this.o.clock.setTimeout(fn, ms);
  }

  /** Drops the current socket (if any) and settles everything that depended on it. */
  private detach(err: PeerlineError): void {
    const ws = this.ws;
    this.ws = undefined;
    this.o.clock.clearTimeout(this.timer);
    this.o.clock.clearTimeout(this.pingTimer);
    this.o.onDetach(err);
    try {
      ws?.close(1000);
    } catch {
      // Already closing.
    }
  }

  private terminate(s: Extract<ClientState, { kind: 'closed' }>): void {
    this.detach(new SignalingError(ErrorCode.CONNECTION_LOST, s.message));
    this.set(s);
  }

  private kicked(code: number, message: string): void {
    const reason = code === CloseCode.BANNED ? 'banned' : 'replaced';
    this.terminate({ kind: 'closed', reason, message });
  }

  /** The connection or attempt failed: back off, or open the breaker, then try again. */
  private fail(err: PeerlineError): void {
    if (this.st.kind === 'closed') return;
    const wasReady = this.st.kind === 'ready';
    this.detach(err);
    const now = this.o.clock.now();
    const policy = this.o.policy ?? DEFAULT_POLICY;
    // A drop after success counts as the first failure of a fresh series.
    this.breaker = onFailure(wasReady ? CLOSED : this.breaker, now, policy);
    const delay = nextAttemptIn(this.breaker, now, this.o.random, policy);
    const retryAt = now + delay;
    if (this.breaker.state === 'open') this.set({ kind: 'circuit-open', retryAt, error: err });
    else {
      const failures = this.breaker.state === 'closed' ? this.breaker.failures : 0;
      this.set({ kind: 'backoff', retryAt, failures, error: err });
    }
    this.arm(delay, () => {
      this.breaker = tick(this.breaker, this.o.clock.now());
      this.connect();
    });
  }

  private onText(text: string): void {
    this.lastFrameAt = this.o.clock.now();
    this.framesIn += 1;
    const p = parseServerMessage(text);
    // A newer Worker may send what we do not know; never guess at it.
    if (p.ok) this.dispatch(p.value);
  }

  private dispatch(m: ServerMessage): void {
    switch (m.type) {
      case 'challenge':
        this.answer(m.challenge);
        break;
      case 'register_ok':
        this.o.clock.clearTimeout(this.timer);
        this.breaker = onSuccess();
        this.set({ kind: 'ready', connections: m.connections });
        this.schedulePing();
        break;
      case 'register_failed':
        this.fail(new SignalingError(m.code, m.message));
        break;
      case 'error':
        if (m.close === CloseCode.BANNED || m.close === CloseCode.REPLACED) {
          this.kicked(m.close, m.message);
        } else if (m.close !== undefined) this.fail(new SignalingError(m.code, m.message));
        else this.o.onFrame(m);
        break;
      case 'pong':
        break;
      default:
        this.o.onFrame(m);
    }
  }

  /** Registration (docs/signaling.md §Registration): sign label ‖ challenge ‖ origin ‖ time ‖ key. */
  private answer(challenge: string): void {
    const timestamp = this.o.clock.now();
    const msg = registerSignedBytes(challenge, this.o.origin, timestamp, this.o.keyHex);
    if (!msg) {
      this.fail(new SignalingError(ErrorCode.INVALID_FORMAT, 'origin too long'));
      return;
    }
    const signature = toHex(ed25519.sign(msg, this.o.secretKey));
    this.set({ kind: 'registering', attempt: this.attempt });
    this.ws?.send(JSON.stringify({ type: 'register', key: this.o.keyHex, timestamp, signature }));
  }

  private schedulePing(): void {
    this.pingTimer = this.o.clock.setTimeout(() => {
      if (this.st.kind !== 'ready' || !this.ws) return;
      // Two silent intervals: the path is dead even if the socket has not noticed.
      if (this.o.clock.now() - this.lastFrameAt > 2 * this.o.pingMs) {
        this.fail(new SignalingError(ErrorCode.NETWORK_TIMEOUT, 'no reply to pings'));
        return;
      }
      this.ws.send(PING_FRAME);
      this.schedulePing();
    }, this.o.pingMs);
  }
}
