// HandshakeState (Noise rev34 §5.3): a token interpreter. It knows no pattern by name; it walks
// the token lists of a HandshakePattern and turns into a TransportState when they run out.

import { concatBytes, utf8, wipe } from '../bytes.ts';
import { ErrorCode, isPeerlineError, PeerlineError } from '../errors.ts';
import { TAGLEN } from './cipher.ts';
import { CipherState, MAX_MESSAGE_LEN } from './cipher-state.ts';
import type { LocalKeyPair } from './dh.ts';
import { DhSchedule } from './dh-schedule.ts';
import {
  type HandshakeOptions,
  type PreparedHandshake,
  prepareHandshake,
} from './handshake-options.ts';
import {
  beginTurn,
  failedError,
  type HandshakeStatus,
  isOurMessage,
  type Phase,
  tooLarge,
} from './handshake-phase.ts';
import { messageOverhead, type Token } from './pattern.ts';
import type { NoiseProtocol } from './protocol.ts';
import { SymmetricState } from './symmetric-state.ts';
import { assignDirections, type TransportState } from './transport.ts';
import { assertValidPublicKey, DHLEN } from './x25519-key.ts';

const EMPTY = new Uint8Array(0);

export class HandshakeState {
  private phase: Phase = { kind: 'ready', index: 0 };
  private readonly sym: SymmetricState;
  private readonly psks: Uint8Array[];
  private rs: Uint8Array | undefined;
  private re: Uint8Array | undefined;
  private finalHash: Uint8Array | undefined;
  private s: LocalKeyPair | undefined;
  private e: LocalKeyPair | undefined;
  /** Our ephemeral, generated ahead while the caller is busy elsewhere (WebCrypto only). */
  private readonly eNext: Promise<LocalKeyPair> | undefined;
  private readonly dhs: DhSchedule;
  readonly protocol: NoiseProtocol;
  readonly initiator: boolean;

  private constructor(prep: PreparedHandshake, opts: HandshakeOptions) {
    this.protocol = prep.protocol;
    this.initiator = opts.initiator;
    this.s = prep.s;
    this.e = prep.e;
    this.eNext = prep.eNext;
    this.sym = new SymmetricState(utf8(prep.protocol.name), prep.cipher);
    this.rs = opts.rs?.slice();
    this.re = opts.re?.slice();
    this.psks = (opts.psks ?? []).map((k) => k.slice());
    this.dhs = new DhSchedule(prep.dh, opts.initiator, () => ({
      s: this.s,
      e: this.e ?? this.eNext,
      rs: this.rs,
      re: this.re,
    }));
  }

  /**
   * §5.3 Initialize(). Async because WebCrypto imports the static key here, once. Throws
   * VERSION_UNSUPPORTED for an unsupported protocol and INVALID_KEY for keys that do not fit
   * the pattern (e.g. an XX initiator without `s`, an IK initiator without `rs`).
   */
  static async create(opts: HandshakeOptions): Promise<HandshakeState> {
    const hs = new HandshakeState(await prepareHandshake(opts), opts);
    hs.sym.mixHash(opts.prologue ?? EMPTY);
    // Pre-message keys are hashed initiator's first, then responder's (§5.3); with PSKs an `e`
    // is also mixed into the key (§9.2).
    const p = hs.protocol.pattern;
    for (const [owner, tokens] of [
      ['initiator', p.initiatorPremessage],
      ['responder', p.responderPremessage],
    ] as const) {
      const local = (owner === 'initiator') === hs.initiator;
      for (const t of tokens) {
        const pub = t === 'e' ? (local ? hs.e?.publicKey : hs.re) : local ? hs.s?.publicKey : hs.rs;
        const known = hs.need(pub, `pre-message ${t}`);
        if (t === 'e') hs.mixEphemeral(known);
        else hs.sym.mixHash(known);
      }
    }
    return hs;
  }

  get status(): HandshakeStatus {
    const ph = this.phase;
    if (ph.kind === 'transferred') return 'finished';
    if (ph.kind !== 'ready') return ph.kind;
    return isOurMessage(this.protocol.pattern, this.initiator, ph.index) ? 'write' : 'read';
  }

  get isFinished(): boolean {
    return this.phase.kind === 'finished' || this.phase.kind === 'transferred';
  }

  /** The peer's static key once known (pre-message or received `s` token). */
  get remoteStatic(): Uint8Array | undefined {
    return this.rs?.slice();
  }

  /** §5.2 h: the running handshake hash; after the handshake, its final value. */
  get handshakeHash(): Uint8Array {
    return this.finalHash?.slice() ?? this.sym.handshakeHash();
  }

  /** §5.3 WriteMessage(payload). Throws UNEXPECTED_MESSAGE out of turn or after the end. */
  async writeMessage(payload: Uint8Array = EMPTY): Promise<Uint8Array> {
    const index = beginTurn(this.phase, this.protocol.pattern, this.initiator, 'write');
    this.phase = { kind: 'busy' };
    const tokens = this.tokensOf(index);
    const overhead = messageOverhead(tokens, this.sym.hasKey(), this.protocol.pattern.pskCount > 0);
    if (overhead + payload.length > MAX_MESSAGE_LEN) {
      this.phase = { kind: 'ready', index };
      throw tooLarge();
    }
    try {
      const parts: Uint8Array[] = [];
      for (const [j, t] of tokens.entries()) {
        this.prefetch(index, j);
        if (t === 'e') {
          // §5.3: e = GENERATE_KEYPAIR(), begun in create(); a fixed test-vector e is used as is.
          this.e ??= await this.nextEphemeral();
          parts.push(this.e.publicKey);
          this.mixEphemeral(this.e.publicKey);
        } else if (t === 's') {
          parts.push(await this.sym.encryptAndHash(this.need(this.s, 's').publicKey));
        } else {
          await this.mixToken(t);
        }
      }
      this.prefetch(index + 1, 0);
      parts.push(await this.sym.encryptAndHash(payload));
      const message = concatBytes(...parts);
      this.advance(index);
      return message;
    } catch (err) {
      throw this.failWith(err);
    }
  }

  /**
   * §5.3 ReadMessage(message): returns the payload. Any failure (HANDSHAKE_FAILED, INVALID_KEY,
   * FRAME_TOO_LARGE) leaves the handshake failed; later calls throw HANDSHAKE_FAILED.
   */
  async readMessage(message: Uint8Array): Promise<Uint8Array> {
    const index = beginTurn(this.phase, this.protocol.pattern, this.initiator, 'read');
    this.phase = { kind: 'busy' };
    try {
      if (message.length > MAX_MESSAGE_LEN) throw tooLarge();
      let off = 0;
      const take = (len: number): Uint8Array => {
        if (off + len > message.length) {
          throw new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'handshake message too short');
        }
        off += len;
        return message.slice(off - len, off);
      };
      const tokens = this.tokensOf(index);
      for (const [j, t] of tokens.entries()) {
        this.prefetch(index, j);
        if (t === 'e') {
          const re = take(DHLEN);
          assertValidPublicKey(re);
          this.re = re;
          this.mixEphemeral(re);
        } else if (t === 's') {
          const rs = await this.sym.decryptAndHash(take(DHLEN + (this.sym.hasKey() ? TAGLEN : 0)));
          assertValidPublicKey(rs);
          this.rs = rs;
        } else {
          await this.mixToken(t);
        }
      }
      this.prefetch(index + 1, 0);
      const payload = await this.sym.decryptAndHash(message.slice(off));
      this.advance(index);
      return payload;
    } catch (err) {
      throw this.failWith(err);
    }
  }

  /**
   * Consumes the finished handshake and returns its transport state (once). Before the end it
   * throws UNEXPECTED_MESSAGE; after a failure, HANDSHAKE_FAILED.
   */
  intoTransport(): TransportState {
    const ph = this.phase;
    if (ph.kind === 'failed') throw failedError();
    if (ph.kind !== 'finished') {
      throw new PeerlineError(
        ErrorCode.UNEXPECTED_MESSAGE,
        ph.kind === 'transferred' ? 'transport state already taken' : 'handshake not finished',
      );
    }
    this.phase = { kind: 'transferred' };
    return ph.transport;
  }

  private tokensOf(index: number): readonly Token[] {
    return this.protocol.pattern.messages[index]?.tokens ?? [];
  }

  private advance(index: number): void {
    if (index + 1 < this.protocol.pattern.messages.length) {
      this.phase = { kind: 'ready', index: index + 1 };
      return;
    }
    this.finalHash = this.sym.handshakeHash();
    const [c1, c2] = this.sym.split();
    const { send, recv } = assignDirections(this.protocol, this.initiator, c1, c2, () =>
      CipherState.disabled(c1.cipher),
    );
    this.forgetSecrets();
    this.phase = {
      kind: 'finished',
      transport: {
        protocol: this.protocol,
        initiator: this.initiator,
        send,
        recv,
        handshakeHash: this.finalHash.slice(),
        remoteStatic: this.rs?.slice(),
      },
    };
  }

  private failWith(err: unknown): PeerlineError {
    this.phase = { kind: 'failed' };
    this.forgetSecrets();
    if (isPeerlineError(err)) return err;
    return new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'handshake processing failed', {
      cause: err,
    });
  }

  /** Our copies of secrets are zeroed; WebCrypto keys can only be dropped. */
  private forgetSecrets(): void {
    for (const kp of [this.s, this.e]) if (kp?.kind === 'noble') wipe(kp.secretKey);
    wipe(...this.psks);
    this.s = undefined;
    this.e = undefined;
  }

  /** §5.3 `e` token, plus §9.2: in a PSK handshake `e` also calls MixKey(e.public_key). */
  private mixEphemeral(pub: Uint8Array): void {
    this.sym.mixHash(pub);
    if (this.protocol.pattern.pskCount > 0) this.sym.mixKey(pub);
  }

  /** §5.3 DH tokens and §9.2 `psk`; identical for writer and reader. */
  private async mixToken(t: Exclude<Token, 'e' | 's'>): Promise<void> {
    if (t === 'psk') {
      const psk = this.need(this.psks.shift(), 'psk');
      this.sym.mixKeyAndHash(psk);
      wipe(psk);
    } else {
      const out = await this.dhs.result(t);
      this.sym.mixKey(out);
      wipe(out);
    }
  }

  /** Starts the DHs from token j of message `index` on whose keys are known (dh-schedule.ts). */
  private prefetch(index: number, j: number): void {
    const rest = this.protocol.pattern.messages.slice(index);
    this.dhs.prefetch(rest.flatMap((m, k) => (k === 0 ? m.tokens.slice(j) : m.tokens)));
  }

  private nextEphemeral(): Promise<LocalKeyPair> {
    if (this.eNext === undefined)
      throw new PeerlineError(ErrorCode.INVALID_KEY, 'no ephemeral key');
    return this.eNext;
  }

  private need<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
      throw new PeerlineError(
        ErrorCode.INVALID_KEY,
        `${this.protocol.pattern.name}: key ${what} is missing`,
      );
    }
    return value;
  }
}
