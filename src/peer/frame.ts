// Frame layout and the pre-decryption checks of PROTOCOL.md §3 / §3.1.
//
//  0 version u8 | 1 type u8 | 2 flags u8 | 3 reserved u8 | 4 seq u64 | 12 length u32 | 16 body
//
// Everything here runs before any decryption, on bytes an attacker chose: it must be total
// (typed result or PeerlineError) and cheap.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

export const FRAME_HEADER_LENGTH = 16;
/** Noise §3: no Noise message exceeds 65535 bytes; a frame is one Noise message plus header. */
export const MAX_FRAME_LENGTH = 65_535;
export const AEAD_TAG_LENGTH = 16;
/** Largest padded plaintext that fits one maximal frame (65535 − 16 − 16). */
export const MAX_PADDED_PLAINTEXT = MAX_FRAME_LENGTH - FRAME_HEADER_LENGTH - AEAD_TAG_LENGTH;
/** Handshake frames always say version 1: nothing is negotiated yet. */
export const HANDSHAKE_FRAME_VERSION = 1;

export const FrameType = {
  HANDSHAKE: 0x01,
  MESSAGE: 0x02,
  BINARY: 0x03,
  REHANDSHAKE: 0x04,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const FrameFlag = {
  REKEYED: 0x01,
  NEW_KEYS: 0x02,
  MORE: 0x04,
} as const;
const KNOWN_FLAGS = FrameFlag.REKEYED | FrameFlag.NEW_KEYS | FrameFlag.MORE;

/**
 * Flags each type may carry. HANDSHAKE frames are not transport frames, so none; MORE only
 * splits MESSAGE content (§3.3). Anything else is a malformed frame (step 5).
 */
const ALLOWED_FLAGS: Readonly<Record<FrameType, number>> = {
  [FrameType.HANDSHAKE]: 0,
  [FrameType.MESSAGE]: KNOWN_FLAGS,
  [FrameType.BINARY]: FrameFlag.REKEYED | FrameFlag.NEW_KEYS,
  [FrameType.REHANDSHAKE]: FrameFlag.REKEYED | FrameFlag.NEW_KEYS,
};

export interface FrameHeader {
  readonly version: number;
  readonly type: FrameType;
  readonly flags: number;
  /** HANDSHAKE: message index; otherwise the Noise nonce the body was encrypted with. */
  readonly seq: bigint;
  readonly length: number;
}

export interface ParsedFrame {
  readonly header: FrameHeader;
  /** The 16 header bytes exactly as received: the AEAD associated data. */
  readonly headerBytes: Uint8Array;
  readonly body: Uint8Array;
}

const U64_MAX = (1n << 64n) - 1n;
const MAX_SAFE_SEQ = BigInt(Number.MAX_SAFE_INTEGER);

export function hasFlag(header: FrameHeader, flag: number): boolean {
  return (header.flags & flag) !== 0;
}

export function encodeHeader(h: FrameHeader): Uint8Array {
  return writeHeader(new Uint8Array(FRAME_HEADER_LENGTH), h);
}

/**
 * Validates `h` and writes it into `dst[0..16)` (the send path writes headers straight into its
 * reused frame buffer). Returns the 16 header bytes as a view of `dst`.
 */
export function writeHeader(dst: Uint8Array, h: FrameHeader): Uint8Array {
  if (!Number.isInteger(h.version) || h.version < 0 || h.version > 255) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'frame version out of range');
  }
  if ((h.flags & ~ALLOWED_FLAGS[h.type]) !== 0) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'flag not allowed for this frame type');
  }
  if (h.seq < 0n || h.seq > U64_MAX) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'seq out of range');
  }
  if (!Number.isInteger(h.length) || h.length < 0 || h.length > MAX_FRAME_LENGTH - 16) {
    throw new PeerlineError(ErrorCode.FRAME_TOO_LARGE, 'frame body too large');
  }
  if (dst.length < FRAME_HEADER_LENGTH) throw new RangeError('header needs 16 bytes');
  dst[0] = h.version;
  dst[1] = h.type;
  dst[2] = h.flags;
  dst[3] = 0;
  // One BigInt→Number conversion while seq < 2^53 (always, in practice), else exact halves.
  if (h.seq <= MAX_SAFE_SEQ) {
    const x = Number(h.seq);
    writeU32(dst, 4, Math.floor(x / 2 ** 32));
    writeU32(dst, 8, x % 2 ** 32);
  } else {
    writeU32(dst, 4, Number(h.seq >> 32n));
    writeU32(dst, 8, Number(h.seq & 0xffff_ffffn));
  }
  writeU32(dst, 12, h.length);
  return dst.subarray(0, FRAME_HEADER_LENGTH);
}

function readU32(b: Uint8Array, off: number): number {
  return (
    (((b[off] ?? 0) << 24) |
      ((b[off + 1] ?? 0) << 16) |
      ((b[off + 2] ?? 0) << 8) |
      (b[off + 3] ?? 0)) >>>
    0
  );
}

/** Big-endian u64 at `off`: one Number→BigInt conversion while it is below 2^53. */
function readU64(b: Uint8Array, off: number): bigint {
  const hi = readU32(b, off);
  const lo = readU32(b, off + 4);
  return hi < 2 ** 21 ? BigInt(hi * 2 ** 32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Big-endian u32 at `off`; `v` is a u32 (callers checked the range). */
function writeU32(dst: Uint8Array, off: number, v: number): void {
  dst[off] = v >>> 24;
  dst[off + 1] = (v >>> 16) & 0xff;
  dst[off + 2] = (v >>> 8) & 0xff;
  dst[off + 3] = v & 0xff;
}

export function encodeFrame(headerBytes: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(headerBytes.length + body.length);
  out.set(headerBytes, 0);
  out.set(body, headerBytes.length);
  return out;
}

/**
 * Frames up to this size are built in a fresh buffer. Bigger ones go through one buffer per
 * sender, allocated on the first such frame: an idle session (hello, pings) never holds it,
 * and a file transfer does not pay a fresh 64 KiB buffer per frame, which in Chromium costs
 * about as much as encrypting it.
 */
export const FRESH_FRAME_MAX = 4096;

/** The buffers one sender builds its outgoing frames in (see FRESH_FRAME_MAX). */
export class FrameBuffers {
  private reused: Uint8Array | undefined;

  /**
   * A buffer of at least `frameLen` bytes: fresh for `fresh` or small frames; else the reused
   * one, sized `fullLen` (the largest frame the peer takes) when first made.
   */
  take(frameLen: number, fullLen: number, mode: 'fresh' | 'reuse'): Uint8Array {
    if (mode === 'fresh' || frameLen <= FRESH_FRAME_MAX) return new Uint8Array(frameLen);
    const have = this.reused;
    if (have !== undefined && have.length >= frameLen) return have;
    const made = new Uint8Array(Math.max(frameLen, fullLen));
    this.reused = made;
    return made;
  }

  /** Holds ciphertext after a sealed frame, but plaintext if encryption failed: zero it. */
  wipe(): void {
    this.reused?.fill(0);
    this.reused = undefined;
  }
}

function isFrameType(t: number): t is FrameType {
  return t >= FrameType.HANDSHAKE && t <= FrameType.REHANDSHAKE;
}

/**
 * Steps 1–5 of §3.1, in order. `expectedVersion` is the negotiated version, or 1 while the
 * handshake runs; `maxFrame` is the max_frame we announced (65535 unless configured lower). Returns views into `bytes` (no copy: frames are up to 64 KiB).
 */
export function parseFrame(
  bytes: Uint8Array,
  expectedVersion: number,
  maxFrame: number = MAX_FRAME_LENGTH,
): ParsedFrame {
  if (bytes.length < FRAME_HEADER_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'frame shorter than its header');
  }
  if (bytes.length > maxFrame) {
    throw new PeerlineError(ErrorCode.FRAME_TOO_LARGE, 'frame over the size limit');
  }
  // Plain byte reads: no DataView or BigInt read per frame (bytes.length ≥ 16 here).
  const length = readU32(bytes, 12);
  if (length !== bytes.length - FRAME_HEADER_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'length field does not match frame size');
  }
  const version = bytes[0] ?? 0;
  if (version !== expectedVersion) {
    throw new PeerlineError(ErrorCode.VERSION_UNSUPPORTED, 'frame of another protocol version');
  }
  const type = bytes[1] ?? 0;
  const flags = bytes[2] ?? 0;
  if (bytes[3] !== 0) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'reserved header byte is not zero');
  }
  if (!isFrameType(type)) throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'unknown frame type');
  if ((flags & ~ALLOWED_FLAGS[type]) !== 0) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'unknown or misplaced frame flag');
  }
  // A fresh key (NEW_KEYS) has never been rekeyed: both flags at once cannot come from a
  // correct sender, and accepting it would make "which key decrypts" ambiguous.
  if ((flags & FrameFlag.REKEYED) !== 0 && (flags & FrameFlag.NEW_KEYS) !== 0) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'REKEYED together with NEW_KEYS');
  }
  return {
    header: { version, type, flags, seq: readU64(bytes, 4), length },
    headerBytes: bytes.subarray(0, FRAME_HEADER_LENGTH),
    body: bytes.subarray(FRAME_HEADER_LENGTH),
  };
}

/** Steps 6 and 7 of §3.1: the state decides which types may come and which seq is next. */
export function checkFrameInState(
  frame: ParsedFrame,
  allowed: ReadonlySet<FrameType>,
  expectedSeq: bigint,
): void {
  if (!allowed.has(frame.header.type)) {
    throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'frame type not allowed in this state');
  }
  if (frame.header.seq !== expectedSeq) {
    throw new PeerlineError(ErrorCode.OUT_OF_SEQUENCE, 'frame seq is not the next expected');
  }
}

/** HANDSHAKE frames carry raw Noise handshake messages: version 1, no flags, seq = index. */
export function encodeHandshakeFrame(index: number, message: Uint8Array): Uint8Array {
  const header = encodeHeader({
    version: HANDSHAKE_FRAME_VERSION,
    type: FrameType.HANDSHAKE,
    flags: 0,
    seq: BigInt(index),
    length: message.length,
  });
  return encodeFrame(header, message);
}
