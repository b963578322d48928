// Transport keys over time (PROTOCOL.md §3, §4): sealing and opening encrypted frames with the
// per-direction REKEY schedule (Noise rev34 §4.2 REKEY, §11.3) and the NEW_KEYS switch after an
// in-band re-handshake. Callers serialize calls per direction: seal() and open() assume nobody
// else touches the same CipherState meanwhile.

import { ErrorCode, isPeerlineError, PeerlineError } from '../crypto/errors.ts';
import type { CipherState } from '../crypto/noise/index.ts';
import { paddedLength, padInPlace } from '../crypto/padding.ts';
import {
  AEAD_TAG_LENGTH,
  FRAME_HEADER_LENGTH,
  FrameBuffers,
  FrameFlag,
  type FrameType,
  hasFlag,
  type ParsedFrame,
  writeHeader,
} from './frame.ts';
import type { SessionLimits } from './limits.ts';

export const FRAME_OVERHEAD = FRAME_HEADER_LENGTH + AEAD_TAG_LENGTH;

/** Noise §5.1: n = 2^64 − 1 is reserved and never used to encrypt. */
const LAST_NONCE = (1n << 64n) - 1n;

type RekeyLimits = Pick<SessionLimits, 'rekeyMessages' | 'rekeyBytes' | 'rekeyMs'>;

/** The sending key: in use since `since`, or freshly installed and not yet announced. */
type SendKey =
  | {
      readonly kind: 'current';
      readonly cipher: CipherState;
      frames: number;
      bytes: number;
      since: number;
      rekeyAsked: 'yes' | 'no';
    }
  | { readonly kind: 'fresh'; readonly cipher: CipherState };

/** The receiving key, plus the next one while the peer has not switched to it yet. */
type RecvKey =
  | { readonly kind: 'current'; readonly cipher: CipherState }
  | { readonly kind: 'switching'; readonly cipher: CipherState; readonly next: CipherState };

/** Content that writes itself into a frame's padded plaintext, so it is copied there once. */
export interface FrameContent {
  readonly length: number;
  /** Writes the `length` content bytes to `dst[0..length)`; `dst` is the longer padded region. */
  write(dst: Uint8Array): void;
}

export interface SealedFrame {
  readonly bytes: Uint8Array;
  readonly rekeyed: boolean;
}

export interface OpenedFrame {
  /** Padded plaintext (the caller unpads: bad padding is a message-level error). */
  readonly plaintext: Uint8Array;
  readonly rekeyed: boolean;
  readonly switched: boolean;
}

export class Transport {
  private send: SendKey;
  private recv: RecvKey;
  private readonly buffers = new FrameBuffers();

  constructor(
    send: CipherState,
    recv: CipherState,
    private readonly version: number,
    private readonly limits: RekeyLimits,
    private readonly now: () => number,
  ) {
    this.send = {
      kind: 'current',
      cipher: send,
      frames: 0,
      bytes: 0,
      since: now(),
      rekeyAsked: 'no',
    };
    this.recv = { kind: 'current', cipher: recv };
  }

  /** §3.1 step 7: NEW_KEYS frames start the new key at 0; others continue the current one. */
  expectedSeq(frame: ParsedFrame): bigint {
    if (hasFlag(frame.header, FrameFlag.NEW_KEYS)) {
      if (this.recv.kind !== 'switching') {
        throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'NEW_KEYS without a re-handshake');
      }
      return 0n;
    }
    return this.recv.cipher.nonce;
  }

  /** A `rekey` message asked us to rekey our sending direction on the next frame (§5). */
  askRekey(): void {
    if (this.send.kind === 'current') this.send.rekeyAsked = 'yes';
  }

  private rekeyDue(k: Extract<SendKey, { kind: 'current' }>): boolean {
    return (
      k.rekeyAsked === 'yes' ||
      k.frames >= this.limits.rekeyMessages ||
      k.bytes >= this.limits.rekeyBytes ||
      this.now() - k.since >= this.limits.rekeyMs
    );
  }

  /**
   * Pads, rekeys if due, and encrypts one frame with the header as associated data (§3).
   * `capacity` is the largest padded plaintext the peer's max_frame allows. The frame's bytes
   * are the caller's to keep.
   */
  seal(
    type: FrameType,
    flags: number,
    content: Uint8Array,
    capacity: number,
  ): Promise<SealedFrame> {
    return this.sealFrame(type, flags, bytesContent(content), capacity, 'fresh');
  }

  /**
   * seal() for the send queue: the content is written straight into the padded plaintext, and
   * a large frame is built in a buffer this transport reuses, so its bytes are only valid until
   * the next sealReusing() — hand them to Duplex.send (which copies, see duplex.ts) first.
   */
  sealReusing(
    type: FrameType,
    flags: number,
    content: FrameContent,
    capacity: number,
  ): Promise<SealedFrame> {
    return this.sealFrame(type, flags, content, capacity, 'reuse');
  }

  /**
   * Layout of the buffer: header (16) | padded plaintext | 16 spare bytes. The plaintext is
   * encrypted from there with the header as AD, then the ciphertext and tag (16 bytes longer)
   * are copied over it: header | body is the frame, with no further copy.
   */
  private async sealFrame(
    type: FrameType,
    flags: number,
    content: FrameContent,
    capacity: number,
    buffer: 'fresh' | 'reuse',
  ): Promise<SealedFrame> {
    // Everything that can reject the frame runs before the key schedule moves.
    const paddedLen = paddedLength(content.length, capacity);
    if (this.send.cipher.nonce >= LAST_NONCE) {
      throw new PeerlineError(ErrorCode.NONCE_EXHAUSTED, 'send nonce exhausted');
    }
    const frameLen = FRAME_OVERHEAD + paddedLen;
    const buf = this.buffers.take(frameLen, FRAME_OVERHEAD + capacity, buffer);
    const padded = buf.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + paddedLen);
    content.write(padded);
    padInPlace(padded, content.length);
    let key = this.send;
    let rekeyed = false;
    if (key.kind === 'fresh') {
      flags |= FrameFlag.NEW_KEYS;
      key = {
        kind: 'current',
        cipher: key.cipher,
        frames: 0,
        bytes: 0,
        since: this.now(),
        rekeyAsked: 'no',
      };
    } else if (this.rekeyDue(key)) {
      await key.cipher.rekey();
      flags |= FrameFlag.REKEYED;
      rekeyed = true;
      key.frames = 0;
      key.bytes = 0;
      key.since = this.now();
      key.rekeyAsked = 'no';
    }
    this.send = key;
    const header = writeHeader(buf, {
      version: this.version,
      type,
      flags,
      seq: key.cipher.nonce,
      length: paddedLen + AEAD_TAG_LENGTH,
    });
    let body: Uint8Array;
    try {
      body = await key.cipher.encryptWithAd(header, padded);
    } catch (e) {
      if (isPeerlineError(e)) throw e;
      throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'encryption failed', { cause: e });
    }
    if (body.length !== paddedLen + AEAD_TAG_LENGTH) {
      throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'ciphertext of unexpected length');
    }
    // The cipher has finished with `padded` (its promise settled), so overwriting it is safe.
    buf.set(body, FRAME_HEADER_LENGTH);
    key.frames += 1;
    key.bytes += paddedLen;
    return { bytes: buf.subarray(0, frameLen), rekeyed };
  }

  /** Decrypts a frame that passed steps 1–7; on failure nothing changes (Noise §5.1). */
  async open(frame: ParsedFrame): Promise<OpenedFrame> {
    const ad = frame.headerBytes;
    const ct = frame.body;
    if (hasFlag(frame.header, FrameFlag.NEW_KEYS)) {
      if (this.recv.kind !== 'switching') {
        throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'NEW_KEYS without a re-handshake');
      }
      const { cipher: old, next } = this.recv;
      const plaintext = await decrypt(next, ad, ct);
      this.recv = { kind: 'current', cipher: next };
      old.wipe();
      return { plaintext, rekeyed: false, switched: true };
    }
    if (hasFlag(frame.header, FrameFlag.REKEYED)) {
      // Decrypt with a rekeyed copy and keep it only if the frame authenticates (§4.1).
      const current = this.recv.cipher;
      const copy = current.clone();
      await copy.rekey();
      const plaintext = await decrypt(copy, ad, ct).catch((e: unknown) => {
        copy.wipe();
        throw e;
      });
      this.recv =
        this.recv.kind === 'switching'
          ? { ...this.recv, cipher: copy }
          : { kind: 'current', cipher: copy };
      current.wipe();
      return { plaintext, rekeyed: true, switched: false };
    }
    return { plaintext: await decrypt(this.recv.cipher, ad, ct), rekeyed: false, switched: false };
  }

  /**
   * After a re-handshake (§4.2), receiving side: `recv` waits for the peer's NEW_KEYS frame;
   * until then frames still open with the current key. Installed as soon as the handshake
   * yields it, because the peer's NEW_KEYS frame may be the very next one.
   */
  installRecv(recv: CipherState): void {
    if (this.recv.kind === 'switching') this.recv.next.wipe();
    this.recv = { kind: 'switching', cipher: this.recv.cipher, next: recv };
  }

  /**
   * Sending side: the next sealed frame uses `send` with NEW_KEYS and seq 0; the old sending key
   * is wiped now. Called from the send queue so no frame is half-sealed with the old key.
   */
  installSend(send: CipherState): void {
    this.send.cipher.wipe();
    this.send = { kind: 'fresh', cipher: send };
  }

  /** Test hook for the nonce-exhaustion guard: Noise gives no other way to reach 2^64 − 1. */
  get sendCipher(): CipherState {
    return this.send.cipher;
  }

  wipe(): void {
    this.buffers.wipe();
    this.send.cipher.wipe();
    this.recv.cipher.wipe();
    if (this.recv.kind === 'switching') this.recv.next.wipe();
  }
}

async function decrypt(c: CipherState, ad: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  try {
    return await c.decryptWithAd(ad, ct);
  } catch (e) {
    if (isPeerlineError(e, ErrorCode.NONCE_EXHAUSTED)) throw e;
    throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'frame failed to authenticate', {
      cause: e,
    });
  }
}

/** Plain bytes as FrameContent (a class, not a closure: one small object per frame). */
class BytesContent implements FrameContent {
  constructor(private readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  write(dst: Uint8Array): void {
    dst.set(this.bytes);
  }
}

export function bytesContent(content: Uint8Array): FrameContent {
  return new BytesContent(content);
}
