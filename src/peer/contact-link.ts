// One contact's connection: at most one live session, set up through sealed signals
// (link-signal.ts) and kept up with the backoff and circuit breaker of src/signaling.
//
// Roles never collide: the peer with the lower address offers (WebRTC offerer = Noise initiator,
// PROTOCOL.md §2); the other knocks to ask for an offer. A signal that waited in the Worker's
// offline queue is stale for an offer (its sender gave up when it was queued) but still a valid
// knock. Every session expects the contact's key (§2.2): a handshake with anyone else ends in
// IDENTITY_MISMATCH and leaves the link `insecure` until the user retries.

import { fromHex, toHex } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { ChatChannel } from './chat-channel.ts';
import { Emitter } from './emitter.ts';
import { newMessageId } from './ids.ts';
import { type AttemptHost, LinkAttempt, type Role } from './link-attempt.ts';
import { LinkRetry } from './link-retry.ts';
import type { LinkSignal } from './link-signal.ts';
import type { LinkEnv, LinkEvents, LinkState } from './link-types.ts';
import type { Session } from './session-types.ts';

export class ContactLink implements AttemptHost {
  readonly role: Role;
  readonly peerKey: Uint8Array;
  private st: LinkState = { kind: 'idle' };
  private attempt: LinkAttempt | undefined;
  private readonly retries: LinkRetry;
  private live: ChatChannel | undefined;
  private readonly events = new Emitter<LinkEvents>();

  constructor(
    readonly peer: string,
    readonly env: LinkEnv,
  ) {
    const key = fromHex(peer);
    if (key?.length !== 32) {
      throw new PeerlineError(ErrorCode.INVALID_KEY, 'contact key is not 64 hex');
    }
    this.peerKey = key;
    this.role = toHex(env.identity.edPublicKey) < peer ? 'initiator' : 'responder';
    this.retries = new LinkRetry(env.clock, env.random, env.policy);
  }

  get state(): LinkState {
    return this.st;
  }

  /** The chat channel while connected. */
  get channel(): ChatChannel | undefined {
    return this.live;
  }

  on<K extends keyof LinkEvents>(event: K, listener: (v: LinkEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Connect now unless connected, connecting, refused or blocked (app start, online, focus). */
  wake(): void {
    const k = this.st.kind;
    if (k === 'idle' || k === 'offline' || k === 'retrying') this.begin();
  }

  /** The user saw the security error and asks to try again. */
  retry(): void {
    if (this.st.kind !== 'insecure') return;
    this.retries.reset();
    this.set({ kind: 'idle' });
    this.begin();
  }

  /** A forged or misattributed signal for this contact (sealed-signal check 1011). */
  refuse(code: number, detail: string): void {
    if (this.st.kind === 'blocked') return;
    this.drop();
    this.set({ kind: 'insecure', code, detail });
  }

  block(): void {
    this.drop();
    this.set({ kind: 'blocked' });
  }

  unblock(): void {
    if (this.st.kind !== 'blocked') return;
    this.set({ kind: 'idle' });
    this.begin();
  }

  /** The signaling server is gone: a live session stays, attempts that need it stop. */
  signalingDown(): void {
    if (this.attempt?.phase === 'connected') return;
    const k = this.st.kind;
    if (k !== 'connecting' && k !== 'retrying' && k !== 'offline') return;
    this.drop();
    this.set({ kind: 'idle' });
  }

  /** Ends everything (contact deleted, identity gone, app closing). */
  stop(): void {
    this.drop();
    this.set({ kind: 'idle' });
  }

  receive(sig: LinkSignal, queued: boolean): void {
    const k = this.st.kind;
    if (k === 'insecure' || k === 'blocked') return;
    const a = this.attempt;
    switch (sig.kind) {
      case 'knock':
        // A live knock means the peer has no session and no offer it could answer: ours is a
        // leftover, or our offer went unanswered (it was no contact of theirs yet). Offer
        // afresh. A knock from the offline queue is older than whatever we started since.
        if (this.role !== 'initiator') return;
        if (queued && (a?.phase === 'connected' || a?.phase === 'negotiating')) return;
        this.start(newMessageId());
        return;
      case 'offer':
        if (this.role !== 'responder' || queued || a?.conn === sig.conn) return;
        this.start(sig.conn, sig.sdp);
        return;
      case 'answer':
        if (a?.role === 'initiator' && a.conn === sig.conn && a.phase === 'negotiating') {
          a.deliver({ kind: 'description', type: 'answer', sdp: sig.sdp });
        }
        return;
      case 'candidate':
        if (a?.conn === sig.conn && a.phase !== 'knocking') {
          a.deliver({ kind: 'candidate', candidate: sig.candidate });
        }
        return;
    }
  }

  // AttemptHost: what the current attempt reports. Reports of replaced attempts are ignored.

  peerOffline(a: LinkAttempt): void {
    if (this.attempt !== a) return;
    this.drop();
    this.set({ kind: 'offline' });
  }

  noSignaling(a: LinkAttempt): void {
    if (this.attempt !== a) return;
    // signalingReady() wakes every link when the server is back.
    this.drop();
    this.set({ kind: 'idle' });
  }

  connected(a: LinkAttempt, session: Session): void {
    if (this.attempt !== a) return;
    this.retries.succeeded();
    this.set({ kind: 'connected', conn: a.conn, route: undefined });
    this.live = new ChatChannel(session, () => this.env.clock.now());
    this.events.emit('channel', this.live);
    void a.route().then((route) => {
      if (this.attempt === a && this.st.kind === 'connected') {
        this.set({ kind: 'connected', conn: a.conn, route });
      }
    });
  }

  /** Refuse on a key mismatch; otherwise try again after the backoff delay. */
  failed(a: LinkAttempt, e: PeerlineError, code: number): void {
    if (this.attempt !== a) return;
    this.drop();
    if (code === ErrorCode.IDENTITY_MISMATCH) {
      this.set({ kind: 'insecure', code, detail: e.detail });
      return;
    }
    const plan = this.retries.failed(() => {
      if (this.st.kind === 'retrying') this.begin();
    });
    this.set({ kind: 'retrying', ...plan, code });
  }

  private set(s: LinkState): void {
    this.st = s;
    this.events.emit('state', s);
  }

  private begin(): void {
    if (this.role === 'initiator') this.start(newMessageId());
    else this.start(newMessageId(), undefined, 'knock');
  }

  /** Replaces whatever runs with a new attempt: offer, answer to `offerSdp`, or knock. */
  private start(conn: string, offerSdp?: string, kind: 'knock' | 'negotiate' = 'negotiate'): void {
    this.drop();
    const a = new LinkAttempt(this, conn, this.role, kind === 'knock' ? 'knocking' : 'negotiating');
    this.attempt = a;
    this.set({ kind: 'connecting', conn });
    if (kind === 'knock') a.knock();
    else a.negotiate(offerSdp);
  }

  /** Ends the current attempt (and its session) and any planned retry, without a report. */
  private drop(): void {
    this.retries.cancel();
    const a = this.attempt;
    if (!a) return;
    this.attempt = undefined;
    if (this.live) {
      this.live = undefined;
      this.events.emit('channel', undefined);
    }
    a.dispose();
  }
}
