// A Peerline session over a Duplex (PROTOCOL.md §2–§7): handshake, then a Connection, then
// close. All state changes go through the transition table of session-state.ts.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { CipherState } from '../crypto/noise/index.ts';
import { type Capabilities, checkCapabilities, DEFAULT_CAPABILITIES } from './capabilities.ts';
import type { Connection, ConnectionHost } from './connection.ts';
import { openConnection } from './connection-factory.ts';
import { encodeHandshakeFrame, MAX_FRAME_LENGTH } from './frame.ts';
import { type HandshakeOutcome, type HandshakeStep, InitialHandshake } from './handshake.ts';
import { isMessageId } from './ids.ts';
import { resolveLimits, type SessionLimits } from './limits.ts';
import { type AppOutgoingMessage, CONTROL_TYPES } from './message-types.ts';
import { asPeerlineError } from './peer-errors.ts';
import { SessionLifecycle } from './session-lifecycle.ts';
import { localCloseReason } from './session-state.ts';
import type { Session, SessionOptions } from './session-types.ts';

export type { Session, SessionEvents, SessionOptions } from './session-types.ts';

export function createSession(opts: SessionOptions): PeerSession {
  return new PeerSession(opts);
}

export class PeerSession extends SessionLifecycle implements Session {
  private readonly limits: SessionLimits;
  private readonly caps: Capabilities;

  constructor(opts: SessionOptions) {
    super(opts);
    this.limits = resolveLimits(opts.limits);
    this.caps = checkCapabilities({ ...DEFAULT_CAPABILITIES, ...opts.capabilities });
  }

  get maxBinaryChunk(): number {
    return this.phase.kind === 'connected' ? this.phase.conn.maxBinaryChunk : 0;
  }

  get bufferedAmount(): number {
    return this.opts.duplex.bufferedAmount;
  }

  /**
   * The channel's drain signal (PROTOCOL.md §13 flow control). Rejects CONNECTION_LOST once the
   * session has ended. A duplex without the signal is polled every 5 ms on the session's clock.
   */
  whenBufferedBelow(threshold: number): Promise<void> {
    const duplex = this.opts.duplex;
    if (this.phase.kind === 'ended' || duplex.state === 'closed') {
      return Promise.reject(new PeerlineError(ErrorCode.CONNECTION_LOST, 'session closed'));
    }
    if (duplex.whenBufferedBelow) return duplex.whenBufferedBelow(threshold);
    return new Promise<void>((resolve, reject) => {
      const poll = (): void => {
        if (this.phase.kind === 'ended' || duplex.state === 'closed') {
          reject(new PeerlineError(ErrorCode.CONNECTION_LOST, 'session closed'));
        } else if (duplex.bufferedAmount <= threshold) resolve();
        else this.clock.setTimeout(poll, 5);
      };
      poll();
    });
  }

  /** Debug/test access to the live sending CipherState (nonce-exhaustion tests). */
  debugSendCipher(): CipherState | undefined {
    return this.phase.kind === 'connected' ? this.phase.conn.sendCipher : undefined;
  }

  start(): void {
    this.setState({ name: 'connecting' });
    const duplex = this.opts.duplex;
    this.detach = duplex.attach({
      open: () => this.onOpen(),
      message: (data) => void this.inbound.run(() => this.receive(data)),
      // Through the inbound queue: a peer's `close` message must be read before its channel close.
      close: () => void this.inbound.run(async () => this.onDuplexClosed()),
    });
    this.handshakeTimer = this.clock.setTimeout(() => {
      this.fail(new PeerlineError(ErrorCode.NETWORK_TIMEOUT, 'handshake timed out'), 'silent');
    }, this.limits.handshakeTimeoutMs);
    if (duplex.state === 'open') this.onOpen();
    else if (duplex.state === 'closed') void this.inbound.run(async () => this.onDuplexClosed());
  }

  send(message: AppOutgoingMessage, options?: { readonly id?: string }): Promise<string> {
    if (CONTROL_TYPES.has(message.type)) {
      return Promise.reject(
        new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'control types are the session’s'),
      );
    }
    const id = options?.id;
    if (id !== undefined && !isMessageId(id)) {
      return Promise.reject(new PeerlineError(ErrorCode.INVALID_FORMAT, 'not a message id'));
    }
    return this.withConnection((c) => c.sendMessage(message, id));
  }

  sendBinary(streamId: Uint8Array, index: number, data: Uint8Array): Promise<void> {
    return this.withConnection((c) => c.sendBinary({ streamId, index, data }));
  }

  close(code: number = ErrorCode.CLOSED_BY_PEER, reason = ''): Promise<void> {
    const r = localCloseReason(code, reason);
    switch (this.current.name) {
      case 'connecting':
      case 'authenticating':
        this.end(r);
        break;
      case 'connected':
        this.beginClosing(r, 'notify');
        break;
      default:
        if (this.phase.kind === 'idle') return Promise.resolve();
    }
    return this.closed;
  }

  requestRekey(): Promise<void> {
    return this.withConnection(async (c) => {
      c.rekeyOwnDirection();
      await c.sendMessage({ type: 'rekey', payload: {} });
    });
  }

  rehandshake(): Promise<void> {
    return this.withConnection((c) => {
      const done = this.waiters.wait();
      const started =
        this.opts.role === 'initiator'
          ? c.startRehandshake()
          : c.sendMessage({ type: 'rehandshake', payload: {} });
      // A failure closes the session, which rejects `done`.
      started?.catch(() => undefined);
      return done;
    });
  }

  private withConnection<T>(f: (c: Connection) => Promise<T>): Promise<T> {
    if (this.current.name !== 'connected' || this.phase.kind !== 'connected') {
      return Promise.reject(
        new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'session not connected'),
      );
    }
    return f(this.phase.conn);
  }

  private onOpen(): void {
    if (this.current.name !== 'connecting') return;
    this.setState({ name: 'authenticating' });
    this.phase = { kind: 'handshake', handshake: undefined };
    // In the inbound queue, so frames that arrive meanwhile wait for the handshake object.
    void this.inbound.run(async () => {
      try {
        const handshake = await InitialHandshake.create({
          role: this.opts.role,
          identity: this.opts.identity,
          expectedPeer: this.opts.expectedPeer,
          capabilities: this.caps,
          backend: this.opts.backend,
        });
        if (this.phase.kind !== 'handshake') return;
        this.phase = { kind: 'handshake', handshake };
        this.apply(await handshake.start());
      } catch (e) {
        this.fail(asPeerlineError(e), 'silent');
      }
    });
  }

  private async receive(data: Uint8Array): Promise<void> {
    const phase = this.phase;
    try {
      if (this.current.name === 'authenticating' && phase.kind === 'handshake' && phase.handshake) {
        // Nothing is negotiated yet: handshake frames may use the full Noise size.
        const step = await phase.handshake.receiveFrame(data, MAX_FRAME_LENGTH);
        this.counters.framesReceived++;
        this.apply(step);
      } else if (this.current.name === 'connected' && phase.kind === 'connected') {
        await phase.conn.receive(data);
      }
      // Otherwise (connecting, closing, disconnected) the frame is dropped.
    } catch (e) {
      this.fail(asPeerlineError(e), 'notify');
    }
  }

  private apply(step: HandshakeStep): void {
    const reply = step.reply;
    if (reply !== undefined) {
      const bytes = encodeHandshakeFrame(reply.index, reply.message);
      void this.out
        .run(async () => {
          this.opts.duplex.send(bytes);
          this.counters.framesSent++;
        })
        .catch((e: unknown) => this.fail(asPeerlineError(e), 'silent'));
    }
    if (step.outcome !== undefined) this.connect(step.outcome);
  }

  private connect(outcome: HandshakeOutcome): void {
    if (this.handshakeTimer !== undefined) this.clock.clearTimeout(this.handshakeTimer);
    const conn = openConnection(this.host(), outcome, {
      role: this.opts.role,
      identity: this.opts.identity,
      backend: this.opts.backend,
      clock: this.clock,
      limits: this.limits,
      ownMaxFrame: this.caps.maxFrame,
    });
    this.hash = outcome.transport.handshakeHash;
    this.phase = { kind: 'connected', conn };
    // §2.4: hello is the first message each way, queued before any listener can send.
    conn.sendControl({ type: 'hello', payload: this.opts.hello ?? {} });
    conn.startHeartbeat();
    this.setState({ name: 'connected', peer: outcome.peer });
  }

  private host(): ConnectionHost {
    return {
      send: (bytes) => this.opts.duplex.send(bytes),
      now: () => this.clock.now(),
      stats: this.counters,
      out: this.out,
      message: (m) => this.events.emit('message', m),
      binary: (b) => this.events.emit('binary', b),
      localError: (e) => this.events.emit('error', e),
      fail: (e) => this.fail(e, 'silent'),
      timeout: () =>
        this.fail(new PeerlineError(ErrorCode.NETWORK_TIMEOUT, 'no frame for too long'), 'notify'),
      remoteClose: (code, reason) => {
        if (this.current.name === 'connected')
          this.beginClosing({ code, detail: reason, by: 'remote' }, 'silent');
      },
      rehandshook: (h) => {
        this.hash = h;
        this.waiters.resolveAll();
      },
    };
  }
}
