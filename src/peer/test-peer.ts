// A hand-driven peer for tests: it speaks the wire protocol with the real Noise code but lets a
// test choose every payload field and craft any frame — the misbehaving or hostile peer that a
// correct Session must survive. Not used by production code.

import { generateIdentity, type Identity } from '../crypto/identity.ts';
import { HandshakeState } from '../crypto/noise/index.ts';
import {
  type Capabilities,
  DEFAULT_CAPABILITIES,
  encodeMsg1,
  encodeMsg2,
  encodeMsg3,
  parseMsg1,
  parseMsg2,
} from './capabilities.ts';
import type { Duplex } from './duplex.ts';
import {
  encodeFrame,
  encodeHandshakeFrame,
  encodeHeader,
  type FrameType,
  type ParsedFrame,
  parseFrame,
} from './frame.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { NOISE_PROTOCOL, PROLOGUE } from './noise-session.ts';
import { Transport } from './transport.ts';

export interface RawPeerOptions {
  readonly role: 'initiator' | 'responder';
  readonly identity?: Identity;
  readonly caps?: Capabilities;
  /** Overrides what we claim in `chosen` (msg2 as responder, msg3 as initiator). */
  readonly chosen?: number;
  /** Overrides the `ed` field we send. */
  readonly ed?: Uint8Array;
}

export interface ReceivedFrame {
  readonly frame: ParsedFrame;
  readonly plaintext: Uint8Array;
}

export class RawPeer {
  readonly identity: Identity;
  private inbox: Uint8Array[] = [];
  private wake: (() => void) | undefined;
  private transportState: Transport | undefined;
  version = 1;

  constructor(
    readonly duplex: Duplex,
    private readonly opts: RawPeerOptions,
  ) {
    this.identity = opts.identity ?? generateIdentity();
    duplex.attach({
      open: () => undefined,
      message: (d) => {
        this.inbox.push(d);
        this.wake?.();
      },
      close: () => this.wake?.(),
    });
  }

  get transport(): Transport {
    if (this.transportState === undefined) throw new Error('no transport yet');
    return this.transportState;
  }

  /** Next raw datagram from the session; rejects if the channel closed first. */
  async nextRaw(): Promise<Uint8Array> {
    for (;;) {
      const d = this.inbox.shift();
      if (d !== undefined) return d;
      if (this.duplex.state === 'closed') throw new Error('channel closed');
      await new Promise<void>((r) => {
        this.wake = r;
      });
    }
  }

  /** Runs our side of XX; resolves when our transport is ready. */
  async handshake(): Promise<void> {
    const caps = this.opts.caps ?? DEFAULT_CAPABILITIES;
    const hs = await HandshakeState.create({
      protocol: NOISE_PROTOCOL,
      initiator: this.opts.role === 'initiator',
      prologue: PROLOGUE,
      s: this.identity.x25519,
    });
    const ed = this.opts.ed ?? this.identity.edPublicKey;
    if (this.opts.role === 'initiator') {
      this.duplex.send(encodeHandshakeFrame(0, await hs.writeMessage(encodeMsg1(caps))));
      const m2 = parseMsg2(await hs.readMessage(parseFrame(await this.nextRaw(), 1).body));
      this.version = this.opts.chosen ?? m2.chosen;
      this.duplex.send(
        encodeHandshakeFrame(2, await hs.writeMessage(encodeMsg3(ed, this.version))),
      );
    } else {
      const m1 = parseMsg1(await hs.readMessage(parseFrame(await this.nextRaw(), 1).body));
      const common = Math.max(...caps.versions.filter((v) => m1.versions.includes(v)));
      this.version = this.opts.chosen ?? common;
      this.duplex.send(
        encodeHandshakeFrame(1, await hs.writeMessage(encodeMsg2(caps, ed, this.version))),
      );
      await hs.readMessage(parseFrame(await this.nextRaw(), 1).body);
    }
    const t = hs.intoTransport();
    this.transportState = new Transport(t.send, t.recv, this.version, DEFAULT_LIMITS, () => 0);
  }

  /** An honest frame: padded and sealed exactly as a Session would. */
  async sendContent(type: FrameType, flags: number, content: Uint8Array): Promise<Uint8Array> {
    const sealed = await this.transport.seal(type, flags, content, 65_503);
    this.duplex.send(sealed.bytes);
    return sealed.bytes;
  }

  /** A frame whose plaintext we choose byte for byte (no padding applied), properly encrypted. */
  async sendPlaintext(type: FrameType, flags: number, plaintext: Uint8Array): Promise<void> {
    const cipher = this.transport.sendCipher;
    const header = encodeHeader({
      version: this.version,
      type,
      flags,
      seq: cipher.nonce,
      length: plaintext.length + 16,
    });
    this.duplex.send(encodeFrame(header, await cipher.encryptWithAd(header, plaintext)));
  }

  /** Next frame from the session, decrypted with our receive state. */
  async nextFrame(): Promise<ReceivedFrame> {
    const frame = parseFrame(await this.nextRaw(), this.version);
    const opened = await this.transport.open(frame);
    return { frame, plaintext: opened.plaintext };
  }
}
