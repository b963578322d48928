// The floor of `npm run bench:transfer`: a bare RTCPeerConnection data channel (no simple-peer,
// no Noise, no framing) carrying 64 KiB messages with the backpressure every careful sender
// uses — send while bufferedAmount ≤ HIGH, then wait for `bufferedamountlow` at LOW. Runs in the
// page (bench/transfer-page.ts); Playwright carries the SDP between the two pages.
// `sealed` adds one serial WebCrypto AES-256-GCM call per message on each side — the sender
// awaits an encrypt before each send, the receiver decrypts in order (a fixed test key, counter
// nonces) — and nothing else: a floor for a design that encrypts with the cipher PROTOCOL.md
// names one message at a time. `hashed` adds, on the receiver, the incremental SHA-256 of every
// decrypted message in order (src/crypto/sha256-stream.ts, as the engine hashes): the floor of the
// per-byte work issue 6 asks of any implementation, cipher on both sides and the file's hash.

import { createSha256Stream } from '../src/crypto/sha256-stream.ts';

export const RAW_MESSAGE = 64 * 1024;

/** What the raw series does per message besides sending it (see the header). */
export type RawMode = 'plain' | 'sealed' | 'hashed';

interface RawState {
  pc: RTCPeerConnection | undefined;
  channel: Promise<RTCDataChannel> | undefined;
}

const state: RawState = { pc: undefined, channel: undefined };

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    else
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
  });
}

function opened(dc: RTCDataChannel): Promise<RTCDataChannel> {
  dc.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    if (dc.readyState === 'open') resolve(dc);
    dc.addEventListener('open', () => resolve(dc));
    dc.addEventListener('error', () => reject(new Error('raw channel failed')));
  });
}

/** Offerer: a fresh connection and channel; returns the SDP with all candidates. */
export async function rawOffer(): Promise<string> {
  rawClose();
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  state.channel = opened(pc.createDataChannel('bench', { ordered: true }));
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription?.sdp ?? '';
}

export async function rawAnswer(offer: string): Promise<string> {
  rawClose();
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  state.channel = new Promise((resolve) => {
    pc.addEventListener('datachannel', (e) => resolve(opened(e.channel)));
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  return pc.localDescription?.sdp ?? '';
}

export async function rawFinish(answer: string): Promise<void> {
  await state.pc?.setRemoteDescription({ type: 'answer', sdp: answer });
  await state.channel;
}

function channel(): Promise<RTCDataChannel> {
  if (!state.channel) throw new Error('no raw channel');
  return state.channel;
}

const TAG = 16;
/** Plaintext per sealed message, so that message + tag is RAW_MESSAGE on the wire. */
const SEALED_PLAINTEXT = RAW_MESSAGE - TAG;

let testKey: Promise<CryptoKey> | undefined;

/** The same fixed key on both pages: this measures cost, it protects nothing. */
function sealKey(): Promise<CryptoKey> {
  testKey ??= crypto.subtle.importKey('raw', new Uint8Array(32).fill(7), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return testKey;
}

/** Nonce n: 4 zero bytes, then n big-endian (Noise §12.4's layout). */
function nonce(n: number): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, n);
  return iv;
}

/**
 * Sends `total` bytes (plaintext bytes when `sealed`) in RAW_MESSAGE messages; resolves once
 * all are handed to the channel.
 */
export async function rawSend(
  total: number,
  high: number,
  low: number,
  mode: RawMode = 'plain',
): Promise<number> {
  const dc = await channel();
  const key = mode === 'plain' ? undefined : await sealKey();
  dc.bufferedAmountLowThreshold = low;
  const message = new Uint8Array(RAW_MESSAGE);
  crypto.getRandomValues(message);
  const size = key ? SEALED_PLAINTEXT : RAW_MESSAGE;
  const start = performance.timeOrigin + performance.now();
  let sent = 0;
  for (let i = 0; sent < total; i++) {
    if (dc.bufferedAmount > high) {
      await new Promise<void>((r) =>
        dc.addEventListener('bufferedamountlow', () => r(), { once: true }),
      );
    }
    const n = Math.min(size, total - sent);
    const plain = n === RAW_MESSAGE ? message : message.subarray(0, n);
    if (key) {
      dc.send(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(i) }, key, plain));
    } else dc.send(plain);
    sent += n;
  }
  return start;
}

export interface RawArrival {
  /** Settles once the receiver listens: arm before the sender starts, or message 0 is lost. */
  readonly listening: Promise<void>;
  /** The wall-clock time the last of `total` bytes arrived (and, unless plain, was decrypted
   * in order, and hashed too when `hashed`). */
  readonly arrived: Promise<number>;
}

export function rawReceive(total: number, mode: RawMode = 'plain'): RawArrival {
  let listen: () => void = () => undefined;
  const listening = new Promise<void>((r) => {
    listen = r;
  });
  const arrived = (async () => {
    const dc = await channel();
    const key = mode === 'plain' ? undefined : await sealKey();
    const hash = mode === 'hashed' ? await createSha256Stream() : undefined;
    return new Promise<number>((resolve, reject) => {
      let got = 0;
      let next = 0;
      let opened: Promise<void> = Promise.resolve();
      const count = (n: number) => {
        got += n;
        if (got >= total) {
          dc.removeEventListener('message', onMessage);
          resolve(performance.timeOrigin + performance.now());
        }
      };
      const onMessage = (e: MessageEvent<ArrayBuffer>) => {
        if (!key) {
          count(e.data.byteLength);
          return;
        }
        const iv = nonce(next++);
        opened = opened.then(async () => {
          const plain = new Uint8Array(
            await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, e.data),
          );
          hash?.update(plain);
          count(plain.byteLength);
        });
        opened.catch(reject);
      };
      dc.addEventListener('message', onMessage);
      listen();
    });
  })();
  // A receiver that failed before listening must not leave the driver waiting.
  arrived.catch(() => listen());
  return { listening, arrived };
}

export function rawClose(): void {
  state.pc?.close();
  state.pc = undefined;
  state.channel = undefined;
}
