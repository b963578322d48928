// The table `npm run bench:transfer` prints: one column per core layout for the ratio rounds,
// the heap round's figures beside the first layout.

import { fmt } from './lib/stats.ts';

/** Medians of the interleaved rounds in one layout (bench/transfer.ts ratioRounds). */
export interface RatioFigures {
  readonly layout: 'shared' | 'split';
  readonly rawMBps: number;
  /** Raw channel + one WebCrypto AES-GCM encrypt and decrypt per message. */
  readonly sealedMBps: number;
  readonly sealedRatioOfMedians: number;
  readonly peerlineOverSealed: number;
  /** raw + AES-GCM + the receiver's incremental SHA-256 of every message. */
  readonly hashedMBps: number;
  readonly hashedRatioOfMedians: number;
  readonly peerlineOverHashed: number;
  readonly appOverHashed: number;
  readonly peerlineMBps: number;
  readonly ratioOfMedians: number;
  readonly medianRatio: number;
  readonly sessionMBps: number;
  readonly sessionRatioOfMedians: number;
  readonly appMBps: number;
  readonly appRatioOfMedians: number;
  readonly appMedianRatio: number;
  /** CPU ms per MB over both browsers; NaN where /proc could not be read. */
  readonly rawCpuMsPerMB: number;
  readonly sealedCpuMsPerMB: number;
  readonly hashedCpuMsPerMB: number;
  readonly sessionCpuMsPerMB: number;
  readonly peerlineCpuMsPerMB: number;
  readonly appCpuMsPerMB: number;
}

/** The 1 GiB transfer with the app's storage and a chat message every 100 ms. */
export interface HeapRunFigures {
  readonly heapBytes: number;
  readonly heapRunMBps: number;
  readonly senderHeapPeakMiB: number;
  readonly receiverHeapPeakMiB: number;
  readonly senderHeapLiveMiB: number;
  readonly receiverHeapLiveMiB: number;
  readonly chatMessages: number;
  readonly chatLatencyMedianMs: number;
  readonly chatLatencyP95Ms: number;
}

const LAYOUT_NAMES = {
  shared: 'both browsers on both cores',
  split: 'each browser on its own core',
} as const;

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function printReport(
  ratios: readonly RatioFigures[],
  heap: HeapRunFigures & { readonly layout: RatioFigures['layout'] },
): void {
  const row = (label: string, cell: (f: RatioFigures) => string, target = '') =>
    console.log(`| ${label} | ${ratios.map(cell).join(' | ')} | ${target} |`);
  const targetOf = (value: (f: RatioFigures) => number) =>
    `≥ 0.9: ${ratios.map((f) => `${f.layout} ${verdict(value(f) >= 0.9)}`).join(', ')}`;
  console.log('');
  console.log(`| figure | ${ratios.map((f) => LAYOUT_NAMES[f.layout]).join(' | ')} | target |`);
  console.log(`| --- | ${ratios.map(() => '---').join(' | ')} | --- |`);
  row('raw RTCDataChannel, 64 KiB messages (median)', (f) => `${fmt(f.rawMBps, 1)} MB/s`);
  row(
    'raw + AES-GCM: one serial WebCrypto encrypt / decrypt per message, nothing else (median; / raw)',
    (f) => `${fmt(f.sealedMBps, 1)} MB/s; ${fmt(f.sealedRatioOfMedians)}`,
  );
  row(
    "raw + AES-GCM + SHA-256: the same, the receiver also hashing every message in order — the issue's required per-byte work and nothing else (median; / raw)",
    (f) => `${fmt(f.hashedMBps, 1)} MB/s; ${fmt(f.hashedRatioOfMedians)}`,
  );
  row(
    'Peerline session alone: BINARY frames, same flow control, no engine (median; / raw)',
    (f) => `${fmt(f.sessionMBps, 1)} MB/s; ${fmt(f.sessionRatioOfMedians)}`,
  );
  row(
    'Peerline file transfer, storage in memory (median)',
    (f) => `${fmt(f.peerlineMBps, 1)} MB/s`,
  );
  row(
    'Peerline / raw (ratio of medians; median of per-round ratios)',
    (f) => `${fmt(f.ratioOfMedians)}; ${fmt(f.medianRatio)}`,
    targetOf((f) => f.ratioOfMedians),
  );
  row(
    'Peerline / (raw + AES-GCM): what Peerline costs over a bare channel with the same cipher calls',
    (f) => fmt(f.peerlineOverSealed),
  );
  row(
    'Peerline / (raw + AES-GCM + SHA-256); with OPFS / the same: what the engine and storage cost',
    (f) => `${fmt(f.peerlineOverHashed)}; ${fmt(f.appOverHashed)}`,
  );
  row(
    "Peerline file transfer with the app's OPFS storage (median)",
    (f) => `${fmt(f.appMBps, 1)} MB/s`,
  );
  row(
    'with OPFS / raw (ratio of medians; median of per-round ratios)',
    (f) => `${fmt(f.appRatioOfMedians)}; ${fmt(f.appMedianRatio)}`,
    targetOf((f) => f.appRatioOfMedians),
  );
  row(
    'CPU of both browsers per MB: raw; raw + AES-GCM; + SHA-256; session alone; Peerline; with OPFS (medians)',
    (f) =>
      `${fmt(f.rawCpuMsPerMB, 1)}; ${fmt(f.sealedCpuMsPerMB, 1)}; ${fmt(f.hashedCpuMsPerMB, 1)}; ${fmt(f.sessionCpuMsPerMB, 1)}; ${fmt(f.peerlineCpuMsPerMB, 1)}; ${fmt(f.appCpuMsPerMB, 1)} ms`,
  );
  row(
    'raw CPU / Peerline CPU; / with OPFS (where the throughput ratio lands while the machine is CPU-bound)',
    (f) =>
      `${fmt(f.rawCpuMsPerMB / f.peerlineCpuMsPerMB)}; ${fmt(f.rawCpuMsPerMB / f.appCpuMsPerMB)}`,
  );
  console.log('');
  console.log(
    `Heap round (${LAYOUT_NAMES[heap.layout]}), ${heap.heapBytes / 2 ** 20} MiB with OPFS storage:`,
  );
  console.log('| figure | value | target |');
  console.log('| --- | --- | --- |');
  const heapCell = (live: number, peak: number) =>
    `| ${fmt(live, 1)}; ${fmt(peak, 1)} MiB | ≤ 64 MiB: ${verdict(Math.max(live, peak) <= 64)} |`;
  console.log(
    `| sender JS heap growth (live, after gc; raw peak incl. garbage) ${heapCell(heap.senderHeapLiveMiB, heap.senderHeapPeakMiB)}`,
  );
  console.log(
    `| receiver JS heap growth (live; raw peak) ${heapCell(heap.receiverHeapLiveMiB, heap.receiverHeapPeakMiB)}`,
  );
  console.log(
    `| chat latency during the transfer (median; p95; ${heap.chatMessages} messages) | ${fmt(heap.chatLatencyMedianMs, 1)}; ${fmt(heap.chatLatencyP95Ms, 1)} ms | |`,
  );
  console.log(`| throughput of the heap run | ${fmt(heap.heapRunMBps, 1)} MB/s | |`);
}
