// Transport throughput for full 64 KiB frames (issue 3 §5): the session path, the Noise
// CipherState alone and bare WebCrypto AES-256-GCM, on buffers of the same size. Each "run"
// moves `frames` frames and returns payload MB/s (MB = 10^6 bytes).

import { CipherState, cipherFunctions } from '../src/crypto/noise/index.ts';
import { FRAME_HEADER_LENGTH } from '../src/peer/frame.ts';
import type { PeerSession } from '../src/peer/session.ts';

export type Mode = 'sequential' | 'stream';

function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  // getRandomValues takes at most 65 536 bytes per call.
  for (let off = 0; off < n; off += 65_536) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + 65_536)));
  }
  return out;
}

/** Sender `a` → receiver `b` of one established pair. */
export class SessionRig {
  private received = 0;
  private wake: (() => void) | undefined;
  private index = 0;
  readonly chunk: Uint8Array;
  private readonly streamId = randomBytes(16);

  constructor(
    private readonly a: PeerSession,
    b: PeerSession,
  ) {
    this.chunk = randomBytes(a.maxBinaryChunk);
    b.on('binary', () => {
      this.received++;
      this.wake?.();
    });
  }

  private receivedAtLeast(n: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.received < n) return;
        this.wake = undefined;
        resolve();
      };
      this.wake = check;
      check();
    });
  }

  async run(frames: number, mode: Mode): Promise<number> {
    const target = this.received + frames;
    const t0 = performance.now();
    if (mode === 'sequential') {
      for (let i = 0; i < frames; i++) {
        const got = this.receivedAtLeast(this.received + 1);
        await this.a.sendBinary(this.streamId, this.index++, this.chunk);
        await got;
      }
    } else {
      const sends: Promise<void>[] = [];
      for (let i = 0; i < frames; i++) {
        sends.push(this.a.sendBinary(this.streamId, this.index++, this.chunk));
      }
      await Promise.all([...sends, this.receivedAtLeast(target)]);
    }
    return mbps(frames * this.chunk.length, performance.now() - t0);
  }
}

/** A pair of CipherStates on one key: what Transport.seal/open call, without framing. */
export class CipherStateRig {
  private readonly send = new CipherState(cipherFunctions('AESGCM', 'webcrypto'));
  private readonly recv = new CipherState(cipherFunctions('AESGCM', 'webcrypto'));
  private readonly ad = randomBytes(FRAME_HEADER_LENGTH);
  readonly plaintext: Uint8Array;

  constructor(plaintextBytes: number) {
    const key = randomBytes(32);
    this.send.initializeKey(key);
    this.recv.initializeKey(key);
    this.plaintext = randomBytes(plaintextBytes);
  }

  async run(frames: number, payloadBytes: number): Promise<number> {
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      const ct = await this.send.encryptWithAd(this.ad, this.plaintext);
      await this.recv.decryptWithAd(this.ad, ct);
    }
    return mbps(frames * payloadBytes, performance.now() - t0);
  }
}

/** crypto.subtle AES-256-GCM with a 16-byte AD (the frame header) and a counter nonce. */
export class BareAesRig {
  private key: CryptoKey | undefined;
  private counter = 0;
  private readonly ad = randomBytes(FRAME_HEADER_LENGTH);
  readonly plaintext: Uint8Array<ArrayBuffer>;

  constructor(plaintextBytes: number) {
    this.plaintext = randomBytes(plaintextBytes);
  }

  async init(): Promise<void> {
    this.key = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  }

  private params(): AesGcmParams {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(8, this.counter++);
    return { name: 'AES-GCM', iv, additionalData: this.ad };
  }

  private async roundTrip(key: CryptoKey): Promise<void> {
    const p = this.params();
    const ct = await crypto.subtle.encrypt(p, key, this.plaintext);
    await crypto.subtle.decrypt(p, key, ct);
  }

  async run(frames: number, payloadBytes: number, mode: Mode): Promise<number> {
    const key = this.key;
    if (key === undefined) throw new Error('BareAesRig.init() first');
    const t0 = performance.now();
    if (mode === 'sequential') {
      for (let i = 0; i < frames; i++) await this.roundTrip(key);
    } else {
      const all: Promise<void>[] = [];
      for (let i = 0; i < frames; i++) all.push(this.roundTrip(key));
      await Promise.all(all);
    }
    return mbps(frames * payloadBytes, performance.now() - t0);
  }
}

/**
 * One fresh 64 KiB buffer filled from another (what every extra copy in a frame path costs):
 * microseconds per copy, over `copies` copies.
 */
export function allocCopyUs(source: Uint8Array, copies: number): number {
  let keep = 0;
  const t0 = performance.now();
  for (let i = 0; i < copies; i++) keep += source.slice()[i % source.length] ?? 0;
  const us = ((performance.now() - t0) * 1000) / copies;
  // `keep` only stops the engine from dropping the copies as dead code.
  return keep < 0 ? Number.NaN : us;
}
