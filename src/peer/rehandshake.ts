// In-band re-handshake (PROTOCOL.md §4.2): a fresh XX with new ephemerals and the same statics,
// prologue `peerline/1/rehandshake`, empty payloads, carried in REHANDSHAKE frames under the
// current transport keys. Only the original initiator starts one; the responder asks with a
// `rehandshake` message. This class holds the Noise side; the session does the framing.

import { equalBytes } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { Identity } from '../crypto/identity.ts';
import type { BackendOptions, HandshakeState, TransportState } from '../crypto/noise/index.ts';
import { createXX, REHANDSHAKE_PROLOGUE, readHandshake, writeHandshake } from './noise-session.ts';

const EMPTY = new Uint8Array(0);

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'initiator-write-1' }
  | { readonly kind: 'initiator-read-2'; readonly hs: HandshakeState }
  | { readonly kind: 'responder-read-3'; readonly hs: HandshakeState };

export type RehandshakeStep =
  /** Responder after message 1: send message 2. */
  | { readonly kind: 'reply'; readonly message: Uint8Array }
  /** Initiator after message 2 (send message 3 first) or responder after message 3. */
  | { readonly kind: 'finished'; readonly reply?: Uint8Array; readonly transport: TransportState };

export class Rehandshake {
  private phase: Phase = { kind: 'idle' };

  constructor(
    private readonly role: 'initiator' | 'responder',
    private readonly identity: Identity,
    /** The static key authenticated by the first handshake: it must not change (§4.2). */
    private readonly remoteStatic: Uint8Array,
    private readonly backend: BackendOptions | undefined,
  ) {}

  get idle(): boolean {
    return this.phase.kind === 'idle';
  }

  /** Synchronously claims the right to start; false if not the initiator or already running. */
  claim(): boolean {
    if (this.role !== 'initiator' || this.phase.kind !== 'idle') return false;
    this.phase = { kind: 'initiator-write-1' };
    return true;
  }

  /** Message 1 (after claim()). */
  async writeFirst(): Promise<Uint8Array> {
    if (this.phase.kind !== 'initiator-write-1') {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 're-handshake not claimed');
    }
    const hs = await createXX(this.identity, true, REHANDSHAKE_PROLOGUE, this.backend);
    const message = await writeHandshake(hs, EMPTY);
    this.phase = { kind: 'initiator-read-2', hs };
    return message;
  }

  async receive(message: Uint8Array): Promise<RehandshakeStep> {
    const phase = this.phase;
    if (phase.kind === 'idle' && this.role === 'responder') {
      const hs = await createXX(this.identity, false, REHANDSHAKE_PROLOGUE, this.backend);
      await readHandshake(hs, message);
      const reply = await writeHandshake(hs, EMPTY);
      this.phase = { kind: 'responder-read-3', hs };
      return { kind: 'reply', message: reply };
    }
    if (phase.kind === 'initiator-read-2') {
      await readHandshake(phase.hs, message);
      this.checkStatic(phase.hs);
      const reply = await writeHandshake(phase.hs, EMPTY);
      this.phase = { kind: 'idle' };
      return { kind: 'finished', reply, transport: phase.hs.intoTransport() };
    }
    if (phase.kind === 'responder-read-3') {
      await readHandshake(phase.hs, message);
      this.checkStatic(phase.hs);
      this.phase = { kind: 'idle' };
      return { kind: 'finished', transport: phase.hs.intoTransport() };
    }
    throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'no re-handshake message expected');
  }

  private checkStatic(hs: HandshakeState): void {
    const rs = hs.remoteStatic;
    if (rs === undefined || !equalBytes(rs, this.remoteStatic)) {
      throw new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 're-handshake with another static key');
    }
  }
}
