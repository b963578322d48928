// The figures the protocol benchmark reports (issue 3 §5), their targets, and the table that
// run-all prints. Shared by the Node and Chromium entries, so it must not import Node modules.

import { fmt, median, percentile } from './lib/stats.ts';

export interface Summary {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    p10: percentile(values, 10),
    p90: percentile(values, 90),
    runs: values.length,
  };
}

export interface HandshakeFigures {
  /** start() → both sides CONNECTED, expectedPeer set on both, over the in-memory duplex. */
  readonly sessionMs: Summary;
  /** HandshakeState.create both sides → both intoTransport(); empty payloads, no framing. */
  readonly noiseMs: Summary;
  /** Three sequential WebCrypto X25519 deriveBits on prepared keys: the floor of one side. */
  readonly x25519x3Ms: Summary;
  /** Both sides' X25519 work back to back: 2 × (generateKey + exportKey) + 6 deriveBits. */
  readonly xxDhWorkMs: Summary;
}

export interface ThroughputFigures {
  /** Application bytes per frame (session.maxBinaryChunk). */
  readonly payloadBytes: number;
  /** Bytes each AEAD call sees: the padded plaintext of a full frame. */
  readonly plaintextBytes: number;
  readonly framesPerRun: number;
  /** sendBinary → 'binary' on the peer, one frame at a time; payload MB/s (MB = 10^6 B). */
  readonly sessionMBps: Summary;
  /** Same, with all frames of a run queued at once (encrypt and decrypt may overlap). */
  readonly sessionStreamMBps: Summary;
  /** Noise CipherState encryptWithAd + decryptWithAd, one frame at a time. */
  readonly cipherStateMBps: Summary;
  /** crypto.subtle AES-256-GCM encrypt + decrypt of the same sizes, one at a time. */
  readonly bareMBps: Summary;
  /** Same, all frames of a run in flight at once. */
  readonly bareStreamMBps: Summary;
  /** Median over repetitions of sessionMBps / bareMBps measured back to back. */
  readonly ratio: number;
  readonly streamRatio: number;
  readonly cipherStateRatio: number;
  /** One fresh 64 KiB buffer filled by copying (Uint8Array.slice): the price of each extra copy. */
  readonly allocCopyUs: Summary;
}

export interface HeapFigures {
  readonly sessions: number;
  /** JS heap growth per idle CONNECTED session, after GC (one session = one side of a pair). */
  readonly bytesPerSession: Summary;
  /** Node only: growth of external + ArrayBuffer memory per session (WebCrypto keys are not JS heap). */
  readonly externalPerSession?: Summary;
  readonly source: string;
}

export interface EnvFigures {
  readonly env: 'node' | 'chromium';
  readonly runtime: string;
  readonly handshake: HandshakeFigures;
  readonly throughput: ThroughputFigures;
  readonly heap: HeapFigures;
  readonly seconds: number;
}

export const TARGETS = {
  handshakeMs: 0.5,
  transportRatio: 0.9,
  heapBytesPerSession: 200 * 1024,
} as const;

export type Verdict = 'pass' | 'miss' | 'n/a';

export interface Verdicts {
  /** The issue sets the handshake target for Chromium only. */
  readonly handshake: Verdict;
  readonly transport: Verdict;
  readonly heap: Verdict;
}

export function verdicts(f: EnvFigures): Verdicts {
  const v = (ok: boolean): Verdict => (ok ? 'pass' : 'miss');
  return {
    handshake:
      f.env === 'chromium' ? v(f.handshake.sessionMs.median <= TARGETS.handshakeMs) : 'n/a',
    transport: v(f.throughput.ratio >= TARGETS.transportRatio),
    heap: v(f.heap.bytesPerSession.median <= TARGETS.heapBytesPerSession),
  };
}

function shown(v: Verdict): string {
  return v === 'pass' ? 'pass' : v === 'miss' ? 'MISS' : '';
}

type Row = readonly [figure: string, value: string, target: string, verdict: string];

export function rows(f: EnvFigures): Row[] {
  const h = f.handshake;
  const t = f.throughput;
  const m = f.heap;
  const kb = (b: number): string => `${fmt(b / 1024, 1)} KB`;
  const ms = (s: Summary): string => `${fmt(s.median, 3)} ms (p90 ${fmt(s.p90, 3)})`;
  const v = verdicts(f);
  const hsTarget = f.env === 'chromium' ? `≤ ${TARGETS.handshakeMs} ms` : '(Chromium only)';
  const out: Row[] = [
    ['handshake, session (XX + identity)', ms(h.sessionMs), hsTarget, shown(v.handshake)],
    ['handshake, bare Noise XX', ms(h.noiseMs), '', ''],
    ['floor: 3 × X25519 DH (one side)', ms(h.x25519x3Ms), '', ''],
    ['floor: XX X25519 work (both sides)', ms(h.xxDhWorkMs), '', ''],
    ['transport, session 64 KiB frames', `${fmt(t.sessionMBps.median, 0)} MB/s`, '', ''],
    ['transport, bare AES-256-GCM', `${fmt(t.bareMBps.median, 0)} MB/s`, '', ''],
    [
      'transport ratio session / bare',
      `${fmt(t.ratio, 3)}×`,
      `≥ ${TARGETS.transportRatio}×`,
      shown(v.transport),
    ],
    [
      'transport, Noise CipherState only',
      `${fmt(t.cipherStateMBps.median, 0)} MB/s (${fmt(t.cipherStateRatio, 3)}×)`,
      '',
      '',
    ],
    [
      'streamed: session / bare',
      `${fmt(t.sessionStreamMBps.median, 0)} / ${fmt(t.bareStreamMBps.median, 0)} MB/s (${fmt(t.streamRatio, 3)}×)`,
      '',
      '',
    ],
    ['one 64 KiB alloc + copy', `${fmt(t.allocCopyUs.median, 1)} µs`, '', ''],
    [
      `heap per idle session (${m.sessions})`,
      kb(m.bytesPerSession.median),
      `≤ ${kb(TARGETS.heapBytesPerSession)}`,
      shown(v.heap),
    ],
  ];
  // Node does not count WebCrypto keys as external memory, so a zero here says nothing.
  if (m.externalPerSession !== undefined && m.externalPerSession.median !== 0) {
    out.push(['  + external/ArrayBuffer per session', kb(m.externalPerSession.median), '', '']);
  }
  return out;
}

export function formatTable(f: EnvFigures): string {
  const header: Row = ['figure', 'median', 'target', ''];
  const all = [header, ...rows(f)];
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const line = (r: Row): string =>
    r
      .map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [
    `── ${f.env} (${f.runtime}), ${fmt(f.seconds, 1)} s ──`,
    line(header),
    ...all.slice(1).map(line),
  ].join('\n');
}
