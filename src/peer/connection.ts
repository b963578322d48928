// The CONNECTED phase of a session: frames out (padding, MORE splitting, rekey schedule) and
// frames in (PROTOCOL.md §3.1 checks, decryption, reassembly, dispatch). Frame-level failures
// are thrown to the session, which closes; message-level ones (§5) are reported and survived.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { CipherState } from '../crypto/noise/index.ts';
import { unpad } from '../crypto/padding.ts';
import { BINARY_PREFIX_LENGTH, type BinaryChunk, BinaryContent, decodeBinary } from './binary.ts';
import { checkFrameInState, FrameFlag, FrameType, hasFlag, parseFrame } from './frame.ts';
import type { Heartbeat } from './heartbeat.ts';
import { newMessageId } from './ids.ts';
import type { Message, OutgoingMessage } from './message-types.ts';
import { buildMessage, encodeMessage, parseMessageBytes } from './messages.ts';
import { asHandshakeError } from './noise-session.ts';
import { asPeerlineError } from './peer-errors.ts';
import { MAX_MESSAGE_BYTES, Reassembler, splitPieces } from './reassembly.ts';
import type { Rehandshake } from './rehandshake.ts';
import type { SerialQueue } from './serial-queue.ts';
import type { PeerInfo } from './session-state.ts';
import type { SessionStats } from './stats.ts';
import { bytesContent, FRAME_OVERHEAD, type FrameContent, type Transport } from './transport.ts';

const TRANSPORT_TYPES: ReadonlySet<FrameType> = new Set([
  FrameType.MESSAGE,
  FrameType.BINARY,
  FrameType.REHANDSHAKE,
]);

export interface ConnectionHost {
  send(bytes: Uint8Array): void;
  now(): number;
  readonly stats: SessionStats;
  readonly out: SerialQueue;
  /** Delivers a valid message after the connection acted on it. */
  message(m: Message): void;
  binary(chunk: BinaryChunk): void;
  /** A message-level error (§5): reported, the session stays up. */
  localError(e: PeerlineError): void;
  /** A frame-level error found while sending: the session closes. */
  fail(e: PeerlineError): void;
  /** Nothing received for inactivityMs (§6). */
  timeout(): void;
  /** The peer sent `close` (§7). */
  remoteClose(code: number, reason: string): void;
  /** A re-handshake finished and our sending side switched to its keys. */
  rehandshook(handshakeHash: Uint8Array): void;
}

export class Connection {
  private readonly reassembler = new Reassembler(MAX_MESSAGE_BYTES);
  private state: 'open' | 'ended' = 'open';

  constructor(
    private readonly host: ConnectionHost,
    readonly peer: PeerInfo,
    private readonly transport: Transport,
    private readonly rehandshakes: Rehandshake,
    private readonly heartbeat: Heartbeat,
    /** Our own advertised max_frame: bigger incoming frames are FRAME_TOO_LARGE. */
    private readonly ownMaxFrame: number,
  ) {}

  /** Largest padded plaintext the peer accepts in one frame. */
  get capacity(): number {
    return this.peer.maxFrame - FRAME_OVERHEAD;
  }

  /** Largest `data` of one BINARY frame (one byte goes to the padding marker). */
  get maxBinaryChunk(): number {
    return this.capacity - 1 - BINARY_PREFIX_LENGTH;
  }

  get sendCipher(): CipherState {
    return this.transport.sendCipher;
  }

  startHeartbeat(): void {
    this.heartbeat.start();
  }

  end(): void {
    this.state = 'ended';
    this.heartbeat.stop();
    this.transport.wipe();
  }

  /** Seals and sends one frame; must run inside the outgoing queue (the sealed bytes may be
   * the transport's reused buffer, which host.send = Duplex.send copies before returning). */
  private async sendFrame(
    type: FrameType,
    flags: number,
    content: Uint8Array | FrameContent,
  ): Promise<void> {
    if (this.state === 'ended') {
      throw new PeerlineError(ErrorCode.CONNECTION_LOST, 'session is closed');
    }
    try {
      const body = content instanceof Uint8Array ? bytesContent(content) : content;
      const sealed = await this.transport.sealReusing(type, flags, body, this.capacity);
      this.host.send(sealed.bytes);
      this.host.stats.framesSent++;
      if (sealed.rekeyed) this.host.stats.rekeys++;
      this.heartbeat.sent();
    } catch (e) {
      // Duplex.send throws CONNECTION_LOST when the channel is gone (duplex.ts contract).
      const err = asPeerlineError(e);
      // A channel that closed under us is reported by its close event, which comes after any
      // frames still to read (the peer's `close` among them); only our own failures close here.
      if (err.code !== ErrorCode.CONNECTION_LOST) this.host.fail(err);
      throw err;
    }
  }

  /** Builds the envelope now (id, timestamp) and queues its frames; resolves with the id. */
  sendMessage(draft: OutgoingMessage, givenId?: string): Promise<string> {
    const id = givenId ?? newMessageId();
    let pieces: Uint8Array[];
    try {
      const content = encodeMessage(buildMessage(draft, id, this.host.now()));
      pieces = splitPieces(content, this.capacity - 1);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.host.out.run(async () => {
      // All pieces of one message go out back to back: nothing may interleave MESSAGE pieces.
      for (let i = 0; i < pieces.length; i++) {
        const more = i < pieces.length - 1 ? FrameFlag.MORE : 0;
        await this.sendFrame(FrameType.MESSAGE, more, pieces[i] ?? new Uint8Array(0));
      }
      return id;
    });
  }

  /** Checked now, copied into its frame when the queue gets to it: keep `chunk.data` unchanged
   * until the promise settles. */
  sendBinary(chunk: BinaryChunk): Promise<void> {
    if (chunk.data.length > this.maxBinaryChunk) {
      return Promise.reject(new PeerlineError(ErrorCode.FRAME_TOO_LARGE, 'binary chunk too large'));
    }
    let content: BinaryContent;
    try {
      content = new BinaryContent(chunk);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.host.out.run(() => this.sendFrame(FrameType.BINARY, 0, content));
  }

  /** Our next frame is REKEYED (§5 `rekey`, or a local request). */
  rekeyOwnDirection(): void {
    this.transport.askRekey();
  }

  /** Initiator: starts a re-handshake unless one runs; resolves once message 1 is sent. */
  startRehandshake(): Promise<void> | undefined {
    if (!this.rehandshakes.claim()) return undefined;
    return this.host.out.run(async () => {
      const msg1 = await this.rehandshakes.writeFirst().catch((e: unknown) => {
        const err = asHandshakeError(e);
        this.host.fail(err); // else the claim would be held forever
        throw err;
      });
      await this.sendFrame(FrameType.REHANDSHAKE, 0, msg1);
    });
  }

  /** One incoming frame, steps 1–8 of §3.1 and then its content. Throws closing errors. */
  async receive(data: Uint8Array): Promise<void> {
    const frame = parseFrame(data, this.peer.version, this.ownMaxFrame);
    checkFrameInState(frame, TRANSPORT_TYPES, this.transport.expectedSeq(frame));
    // Only the header outlives the await: the received buffer (up to 64 KiB) can then die young,
    // as soon as the cipher has copied it, instead of surviving into the old generation.
    const header = frame.header;
    const opened = await this.transport.open(frame);
    this.host.stats.framesReceived++;
    if (opened.rekeyed) this.host.stats.peerRekeys++;
    this.heartbeat.received();
    let content: Uint8Array;
    try {
      content = unpad(opened.plaintext);
    } catch (e) {
      if (header.type === FrameType.REHANDSHAKE) {
        throw new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'bad padding in re-handshake', {
          cause: e,
        });
      }
      // The frame authenticated but its content is unreadable: a half-built message is lost too.
      this.reassembler.reset();
      this.messageError(asPeerlineError(e));
      return;
    }
    switch (header.type) {
      case FrameType.MESSAGE: {
        const piece = this.reassembler.push(content, hasFlag(header, FrameFlag.MORE));
        if (piece.kind === 'complete') this.dispatch(piece.content);
        return;
      }
      case FrameType.BINARY:
        return this.receiveBinary(content);
      case FrameType.REHANDSHAKE:
        return this.receiveRehandshake(content);
      default:
        throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'frame type not allowed');
    }
  }

  private receiveBinary(content: Uint8Array): void {
    let chunk: BinaryChunk;
    try {
      chunk = decodeBinary(content);
    } catch (e) {
      this.messageError(asPeerlineError(e));
      return;
    }
    this.host.binary(chunk);
  }

  private async receiveRehandshake(content: Uint8Array): Promise<void> {
    const step = await this.rehandshakes.receive(content);
    if (step.kind === 'reply') {
      this.background(
        this.host.out.run(() => this.sendFrame(FrameType.REHANDSHAKE, 0, step.message)),
      );
      return;
    }
    const { transport } = step;
    // The peer's NEW_KEYS frame may be the next one we read: the receive key goes in now.
    this.transport.installRecv(transport.recv);
    this.heartbeat.handshook();
    this.host.stats.rehandshakes++;
    const reply = step.reply;
    // Our own switch waits for the send queue: frames queued earlier still go under the old key,
    // and message 3 (initiator) is the last frame under it.
    this.background(
      this.host.out.run(async () => {
        if (reply !== undefined) await this.sendFrame(FrameType.REHANDSHAKE, 0, reply);
        this.transport.installSend(transport.send);
        this.host.rehandshook(transport.handshakeHash);
      }),
    );
  }

  private dispatch(content: Uint8Array): void {
    const result = parseMessageBytes(content);
    if (result.kind === 'unknown') {
      this.host.stats.unknownTypes++;
      return;
    }
    if (result.kind === 'invalid') {
      this.host.stats.malformed++;
      // Never answer a broken `error` with an `error`: two confused peers would loop forever.
      this.messageError(result.error, result.ref, result.type === 'error' ? 'silent' : 'answer');
      return;
    }
    const m = result.message;
    // Control messages act first, then everyone sees them (the app may log or ignore them).
    if (m.type === 'ping') this.sendControl({ type: 'pong', payload: { seq: m.payload.seq } });
    else if (m.type === 'rekey') this.rekeyOwnDirection();
    else if (m.type === 'rehandshake') {
      const started = this.startRehandshake();
      if (started !== undefined) this.background(started);
    }
    this.host.message(m);
    if (m.type === 'close') this.host.remoteClose(m.payload.code, m.payload.reason);
  }

  /** §5: report locally, tell the peer with `error {code: 1000, ref}`, stay up. */
  private messageError(
    e: PeerlineError,
    ref?: string,
    reply: 'answer' | 'silent' = 'answer',
  ): void {
    this.host.localError(e);
    if (reply === 'silent') return;
    const payload =
      ref === undefined
        ? { code: e.code, detail: e.detail }
        : { code: e.code, detail: e.detail, ref };
    this.sendControl({ type: 'error', payload });
  }

  /** Fire-and-forget for frames the session sends on its own (pong, error, ping). */
  sendControl(draft: OutgoingMessage): void {
    if (this.state === 'ended') return;
    this.background(this.sendMessage(draft));
  }

  private background(p: Promise<unknown>): void {
    // Failures already went to host.fail(); nobody awaits these promises.
    p.catch(() => undefined);
  }
}
