// The initial XX handshake (PROTOCOL.md §2) as a small state machine: it consumes handshake
// messages, produces replies, and ends in a TransportState plus the authenticated peer.
// Identity binding (§2.2) and version negotiation (§2.3) happen here, before any application
// message can be sent or accepted.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { Identity } from '../crypto/identity.ts';
import type { BackendOptions, HandshakeState, TransportState } from '../crypto/noise/index.ts';
import {
  type Capabilities,
  commonFeatures,
  encodeMsg1,
  encodeMsg2,
  encodeMsg3,
  highestCommonVersion,
  parseMsg1,
  parseMsg2,
  parseMsg3,
} from './capabilities.ts';
import { checkFrameInState, FrameType, HANDSHAKE_FRAME_VERSION, parseFrame } from './frame.ts';
import { bindIdentity } from './identity-binding.ts';
import { createXX, PROLOGUE, readHandshake, writeHandshake } from './noise-session.ts';
import type { PeerInfo } from './session-state.ts';

export interface HandshakeConfig {
  readonly role: 'initiator' | 'responder';
  readonly identity: Identity;
  readonly expectedPeer: Uint8Array | undefined;
  readonly capabilities: Capabilities;
  readonly backend: BackendOptions | undefined;
}

export interface HandshakeOutcome {
  readonly transport: TransportState;
  readonly peer: PeerInfo;
}

/** What the session does after a handshake message: send `reply` (frame `seq` = index), and/or
 * switch to CONNECTED with `outcome`. */
export interface HandshakeStep {
  readonly reply?: { readonly index: number; readonly message: Uint8Array };
  readonly outcome?: HandshakeOutcome;
}

const HANDSHAKE_TYPES: ReadonlySet<FrameType> = new Set([FrameType.HANDSHAKE]);

type Phase =
  | { readonly kind: 'initiator-write-1' }
  | { readonly kind: 'initiator-read-2' }
  | { readonly kind: 'responder-read-1' }
  | { readonly kind: 'responder-read-3'; readonly chosen: number; readonly peerCaps: Capabilities }
  | { readonly kind: 'finished' };

export class InitialHandshake {
  private phase: Phase;

  private constructor(
    private readonly cfg: HandshakeConfig,
    private readonly hs: HandshakeState,
  ) {
    this.phase =
      cfg.role === 'initiator' ? { kind: 'initiator-write-1' } : { kind: 'responder-read-1' };
  }

  static async create(cfg: HandshakeConfig): Promise<InitialHandshake> {
    const hs = await createXX(cfg.identity, cfg.role === 'initiator', PROLOGUE, cfg.backend);
    return new InitialHandshake(cfg, hs);
  }

  /** §3.1 step 7 for HANDSHAKE frames: the index of the message we wait for. */
  get expectedIndex(): bigint {
    switch (this.phase.kind) {
      case 'initiator-read-2':
        return 1n;
      case 'responder-read-1':
        return 0n;
      case 'responder-read-3':
        return 2n;
      default:
        // Nothing is expected: any index is out of sequence.
        return -1n;
    }
  }

  /** The initiator's message 1 (`-> e` with its capabilities in clear). */
  async start(): Promise<HandshakeStep> {
    if (this.phase.kind !== 'initiator-write-1') return {};
    const message = await writeHandshake(this.hs, encodeMsg1(this.cfg.capabilities));
    this.phase = { kind: 'initiator-read-2' };
    return { reply: { index: 0, message } };
  }

  /** Steps 1–7 of §3.1 for a HANDSHAKE frame, then its Noise message. */
  receiveFrame(data: Uint8Array, maxFrame: number): Promise<HandshakeStep> {
    const frame = parseFrame(data, HANDSHAKE_FRAME_VERSION, maxFrame);
    checkFrameInState(frame, HANDSHAKE_TYPES, this.expectedIndex);
    return this.receive(frame.body);
  }

  async receive(message: Uint8Array): Promise<HandshakeStep> {
    const phase = this.phase;
    switch (phase.kind) {
      case 'responder-read-1':
        return this.readMsg1(message);
      case 'initiator-read-2':
        return this.readMsg2(message);
      case 'responder-read-3':
        return this.readMsg3(message, phase.chosen, phase.peerCaps);
      default:
        throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'no handshake message expected');
    }
  }

  private async readMsg1(message: Uint8Array): Promise<HandshakeStep> {
    const peerCaps = parseMsg1(await readHandshake(this.hs, message));
    const chosen = highestCommonVersion(this.cfg.capabilities.versions, peerCaps.versions);
    if (chosen === undefined) {
      // §2.3: nothing in common — close without answering.
      throw new PeerlineError(ErrorCode.VERSION_UNSUPPORTED, 'no protocol version in common');
    }
    const payload = encodeMsg2(this.cfg.capabilities, this.cfg.identity.edPublicKey, chosen);
    const reply = await writeHandshake(this.hs, payload);
    this.phase = { kind: 'responder-read-3', chosen, peerCaps };
    return { reply: { index: 1, message: reply } };
  }

  private async readMsg2(message: Uint8Array): Promise<HandshakeStep> {
    const m2 = parseMsg2(await readHandshake(this.hs, message));
    const ed = bindIdentity(m2.ed, this.hs.remoteStatic, this.cfg.expectedPeer);
    // Both lists are authenticated by now (msg1 via h, msg2 by its AEAD): recompute and compare.
    const common = highestCommonVersion(this.cfg.capabilities.versions, m2.versions);
    if (common === undefined || !this.cfg.capabilities.versions.includes(m2.chosen)) {
      throw new PeerlineError(ErrorCode.VERSION_UNSUPPORTED, 'responder chose a version we lack');
    }
    if (m2.chosen !== common) {
      throw new PeerlineError(
        ErrorCode.DOWNGRADE_DETECTED,
        'chosen is not the highest common version',
      );
    }
    const reply = await writeHandshake(this.hs, encodeMsg3(this.cfg.identity.edPublicKey, common));
    return {
      reply: { index: 2, message: reply },
      outcome: this.finish(ed, common, m2),
    };
  }

  private async readMsg3(
    message: Uint8Array,
    chosen: number,
    peerCaps: Capabilities,
  ): Promise<HandshakeStep> {
    const m3 = parseMsg3(await readHandshake(this.hs, message));
    const ed = bindIdentity(m3.ed, this.hs.remoteStatic, this.cfg.expectedPeer);
    if (m3.chosen !== chosen) {
      throw new PeerlineError(ErrorCode.DOWNGRADE_DETECTED, 'initiator echoed another version');
    }
    return { outcome: this.finish(ed, chosen, peerCaps) };
  }

  private finish(ed: Uint8Array, version: number, peerCaps: Capabilities): HandshakeOutcome {
    this.phase = { kind: 'finished' };
    return {
      transport: this.hs.intoTransport(),
      peer: {
        edPublicKey: ed,
        version,
        features: commonFeatures(this.cfg.capabilities.features, peerCaps.features),
        maxFrame: peerCaps.maxFrame,
      },
    };
  }
}
