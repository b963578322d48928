// One attempt to connect to a contact: a knock waiting for an offer, or an offer/answer exchange
// with its data channel and, once that is open, the session. It reports to its ContactLink, which
// decides what follows (retry, wait for the peer, refuse).

import { ErrorCode, isPeerlineError, PeerlineError } from '../crypto/errors.ts';
import type { TimerHandle } from './clock.ts';
import type { LinkSignal } from './link-signal.ts';
import type { LinkEnv } from './link-types.ts';
import type { RtcSignal, SignalingDuplex } from './rtc.ts';
import { createSession } from './session.ts';
import type { SessionState } from './session-state.ts';
import type { Session } from './session-types.ts';

export type Role = 'initiator' | 'responder';
/** knocking: waiting for an offer; negotiating: WebRTC and handshake; then connected. */
export type AttemptPhase = 'knocking' | 'negotiating' | 'connected';

export interface AttemptHost {
  readonly env: LinkEnv;
  readonly peer: string;
  readonly peerKey: Uint8Array;
  /** A required signal was queued: the peer is not on the signaling server. */
  peerOffline(a: LinkAttempt): void;
  /** A required signal could not be sent at all: no signaling path right now. */
  noSignaling(a: LinkAttempt): void;
  /** The attempt (or its session) ended with `code`. */
  failed(a: LinkAttempt, error: PeerlineError, code: number): void;
  connected(a: LinkAttempt, session: Session): void;
}

export class LinkAttempt {
  phase: AttemptPhase;
  private transport: SignalingDuplex | undefined;
  private session: Session | undefined;
  /** Remote signals that arrived before the transport existed. */
  private readonly early: RtcSignal[] = [];
  /** Initiator: our candidates wait until the offer is known to be delivered, not queued. */
  private offerDelivered = false;
  private readonly held: LinkSignal[] = [];
  private timer: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly host: AttemptHost,
    readonly conn: string,
    readonly role: Role,
    phase: 'knocking' | 'negotiating',
  ) {
    this.phase = phase;
    this.timer = host.env.clock.setTimeout(() => {
      this.timer = undefined;
      this.fail(new PeerlineError(ErrorCode.NETWORK_TIMEOUT, 'connection attempt timed out'));
    }, host.env.attemptTimeoutMs);
  }

  /** Responder: ask the peer for an offer. */
  knock(): void {
    this.signal({ kind: 'knock', conn: this.conn }, 'required');
  }

  /** Initiator: make the offer. Responder: answer `offerSdp`. */
  negotiate(offerSdp?: string): void {
    if (offerSdp !== undefined)
      this.early.push({ kind: 'description', type: 'offer', sdp: offerSdp });
    void this.openTransport();
  }

  /** A signal of this attempt from the peer. */
  deliver(s: RtcSignal): void {
    if (this.disposed) return;
    if (this.transport) this.transport.signal(s);
    else this.early.push(s);
  }

  route(): ReturnType<SignalingDuplex['route']> {
    return this.transport?.route() ?? Promise.resolve(undefined);
  }

  /** Ends it without a report: the link replaced or stopped it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) this.host.env.clock.clearTimeout(this.timer);
    const session = this.session;
    if (session && session.state.name !== 'disconnected') void session.close();
    else this.transport?.close();
  }

  private fail(e: PeerlineError, code: number = e.code): void {
    if (this.disposed) return;
    this.host.failed(this, e, code);
  }

  private async openTransport(): Promise<void> {
    let t: SignalingDuplex;
    try {
      t = await this.host.env.openTransport(this.role === 'initiator');
    } catch (e) {
      const err = isPeerlineError(e)
        ? e
        : new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel could not be created');
      this.fail(err);
      return;
    }
    if (this.disposed) {
      t.close();
      return;
    }
    this.transport = t;
    const detach = t.attach({
      open: () => {
        detach();
        this.startSession(t);
      },
      message: () => undefined, // nothing can arrive before open
      close: () => this.fail(new PeerlineError(ErrorCode.CONNECTION_LOST, 'data channel failed')),
    });
    t.onSignal((s) => this.sendLocal(s));
    for (const s of this.early.splice(0)) t.signal(s);
  }

  private sendLocal(s: RtcSignal): void {
    if (this.disposed) return;
    if (s.kind === 'candidate') {
      const sig: LinkSignal = { kind: 'candidate', conn: this.conn, candidate: s.candidate };
      // A lost candidate costs one path, not the attempt: other candidates may still connect.
      if (this.role === 'initiator' && !this.offerDelivered) this.held.push(sig);
      else this.signal(sig, 'optional');
      return;
    }
    this.signal({ kind: s.type, conn: this.conn, sdp: s.sdp }, 'required');
  }

  /** `required` signals end the attempt when they cannot be delivered right now. */
  private signal(sig: LinkSignal, need: 'required' | 'optional'): void {
    this.host.env.sendSignal(this.host.peer, sig).then(
      (outcome) => {
        if (this.disposed || need === 'optional') return;
        // Queued: the peer is offline. A queued knock will prompt them when they are back; a
        // queued offer is ignored by them (stale), and they knock instead.
        if (outcome === 'queued') this.host.peerOffline(this);
        else if (sig.kind === 'offer') {
          this.offerDelivered = true;
          for (const held of this.held.splice(0)) this.signal(held, 'optional');
        }
      },
      () => {
        if (!this.disposed && need === 'required') this.host.noSignaling(this);
      },
    );
  }

  private startSession(t: SignalingDuplex): void {
    if (this.disposed) return;
    const env = this.host.env;
    const session = (env.createSession ?? createSession)({
      duplex: t,
      role: this.role,
      identity: env.identity,
      expectedPeer: this.host.peerKey,
      hello: env.hello(),
      ...(env.sessionLimits ? { limits: env.sessionLimits } : {}),
    });
    this.session = session;
    session.on('state', (s) => this.onSessionState(session, s));
    session.start();
  }

  private onSessionState(session: Session, s: SessionState): void {
    if (this.disposed) return;
    if (s.name === 'connected') {
      if (this.timer) this.host.env.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.phase = 'connected';
      this.host.connected(this, session);
    } else if (s.name === 'disconnected' && s.reason !== undefined) {
      this.fail(new PeerlineError(ErrorCode.CONNECTION_LOST, s.reason.detail), s.reason.code);
    }
  }
}
