// `npm run bench:transfer` (issue 6): in Debian's Chromium, two browser contexts on one machine,
// in the same run —
//   1. raw RTCDataChannel throughput (64 KiB messages, bufferedAmount backpressure) and Peerline
//      file-transfer throughput (simple-peer + Noise session + transfer engine) over identical
//      loopback connections, interleaved rounds, and their ratio (target ≥ 0.9);
//   2. sender and receiver JS heap growth during a 1 GiB Peerline transfer (target ≤ 64 MiB);
//   3. chat message latency on the same session while that transfer runs.
// Figures are medians; bench/results/transfer.json keeps them. Environment overrides:
// BENCH_TRANSFER_MB (ratio rounds, default 128), BENCH_TRANSFER_HEAP_MB (default 1024),
// BENCH_TRANSFER_ROUNDS (default 5).

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { BENCH_CHROMIUM_ARGS, serveBundle } from './lib/browser.ts';
import { fmt, median, percentile } from './lib/stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
const RATIO_BYTES = Number(process.env.BENCH_TRANSFER_MB ?? 128) * MiB;
const HEAP_BYTES = Number(process.env.BENCH_TRANSFER_HEAP_MB ?? 1024) * MiB;
const ROUNDS = Number(process.env.BENCH_TRANSFER_ROUNDS ?? 5);
/** The raw sender's backpressure: the same thresholds as the engine's defaults. */
const HIGH = 1024 * 1024;
const LOW = 256 * 1024;
const CHAT_EVERY_MS = 100;
const OVERALL_MS = 20 * 60_000;

type Api = Record<string, (...args: never[]) => unknown>;

function call<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([fn, rest]) => {
      const api = Reflect.get(globalThis, '__transfer') as Api;
      const f = api[fn as string] as unknown as (...a: unknown[]) => unknown;
      return f(...(rest as unknown[]));
    },
    [name, args] as const,
  ) as Promise<T>;
}

async function rawRound(sender: Page, receiver: Page, bytes: number): Promise<number> {
  const offer = await call<string>(sender, 'rawOffer');
  const answer = await call<string>(receiver, 'rawAnswer', offer);
  await call(sender, 'rawFinish', answer);
  await call(receiver, 'rawArm', bytes);
  const start = await call<number>(sender, 'rawSend', bytes, HIGH, LOW);
  const end = await call<number>(receiver, 'rawReceived');
  await Promise.all([call(sender, 'rawClose'), call(receiver, 'rawClose')]);
  return bytes / ((end - start) / 1000);
}

type StorageMode = 'memory' | 'opfs';

async function peerlineConnect(sender: Page, receiver: Page, mode: StorageMode): Promise<void> {
  const [a, b] = await Promise.all([
    call<string>(sender, 'plPublicKey'),
    call<string>(receiver, 'plPublicKey'),
  ]);
  // The lower address offers (PROTOCOL.md §11.6); here the sender always does.
  await call(sender, 'plStart', true, b, mode);
  await call(receiver, 'plStart', false, a, mode);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const toB = await call<unknown[]>(sender, 'plTakeSignals');
    if (toB.length > 0) await call(receiver, 'plGiveSignals', toB);
    const toA = await call<unknown[]>(receiver, 'plTakeSignals');
    if (toA.length > 0) await call(sender, 'plGiveSignals', toA);
    const up =
      (await call<boolean>(sender, 'plConnected')) &&
      (await call<boolean>(receiver, 'plConnected'));
    if (up) return;
    if (Date.now() > deadline) throw new Error('Peerline session did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface PeerlineRun {
  readonly bytesPerSecond: number;
  readonly latencies: number[];
}

async function peerlineRound(
  sender: Page,
  receiver: Page,
  bytes: number,
  chatEveryMs: number,
  mode: StorageMode,
  beforeOffer?: () => Promise<void>,
): Promise<PeerlineRun> {
  await peerlineConnect(sender, receiver, mode);
  await call(receiver, 'plArmReceive');
  await call(sender, 'plPrepare', bytes);
  await beforeOffer?.();
  const { start } = await call<{ start: number }>(sender, 'plSend', chatEveryMs);
  const end = await call<number>(receiver, 'plReceived');
  const latencies = await call<number[]>(receiver, 'plLatencies');
  await Promise.all([call(sender, 'plDiscard'), call(receiver, 'plDiscard')]);
  await Promise.all([call(sender, 'plClose'), call(receiver, 'plClose')]);
  return { bytesPerSecond: bytes / ((end - start) / 1000), latencies };
}

/** The session alone (no engine, storage or hashing): splits Peerline's cost in two. */
async function sessionRound(sender: Page, receiver: Page, bytes: number): Promise<number> {
  await peerlineConnect(sender, receiver, 'memory');
  await call(receiver, 'plSessionArm', bytes);
  const start = await call<number>(sender, 'plSessionSend', bytes);
  const end = await call<number>(receiver, 'plSessionReceived');
  await Promise.all([call(sender, 'plClose'), call(receiver, 'plClose')]);
  return bytes / ((end - start) / 1000);
}

interface HeapFigures {
  readonly baseline: number;
  readonly peakGrowth: number;
  readonly liveGrowth: number;
}

const mbps = (bps: number) => bps / 1e6;

async function main(): Promise<void> {
  const served = await serveBundle(join(here, 'transfer-page.ts'));
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.PEERLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: [...BENCH_CHROMIUM_ARGS],
    });
    const pages: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await (await browser.newContext()).newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') console.error(`[page ${i}]`, m.text());
      });
      page.on('pageerror', (e) => console.error(`[page ${i}] error`, e.message));
      await page.goto(served.url);
      await page.waitForFunction(() => Reflect.get(globalThis, '__transferReady') === true);
      pages.push(page);
    }
    const [sender, receiver] = pages as [Page, Page];
    console.log(
      `bench:transfer — Chromium ${browser.version()}, ${ROUNDS} rounds of ${RATIO_BYTES / MiB} MiB each way, interleaved`,
    );
    const raws: number[] = [];
    const ours: number[] = [];
    const apps: number[] = [];
    const sessions: number[] = [];
    const ratios: number[] = [];
    const appRatios: number[] = [];
    // Each round runs the three in a rotated order, so warm-up and drift hit all alike.
    const kinds = ['raw', 'session', 'memory', 'opfs'] as const;
    for (let r = 0; r < ROUNDS; r++) {
      const got: Partial<Record<(typeof kinds)[number], number>> = {};
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(r + k) % kinds.length] as (typeof kinds)[number];
        got[kind] =
          kind === 'raw'
            ? await rawRound(sender, receiver, RATIO_BYTES)
            : kind === 'session'
              ? await sessionRound(sender, receiver, RATIO_BYTES)
              : (await peerlineRound(sender, receiver, RATIO_BYTES, 0, kind)).bytesPerSecond;
      }
      const rawBps = got.raw ?? Number.NaN;
      const plBps = got.memory ?? Number.NaN;
      const appBps = got.opfs ?? Number.NaN;
      const sessionBps = got.session ?? Number.NaN;
      sessions.push(sessionBps);
      raws.push(rawBps);
      ours.push(plBps);
      apps.push(appBps);
      ratios.push(plBps / rawBps);
      appRatios.push(appBps / rawBps);
      console.log(
        `  round ${r + 1}: raw ${fmt(mbps(rawBps), 1)} MB/s, session alone ${fmt(mbps(sessionBps), 1)} MB/s (${fmt(sessionBps / rawBps)}), Peerline ${fmt(mbps(plBps), 1)} MB/s (${fmt(plBps / rawBps)}), with OPFS storage ${fmt(mbps(appBps), 1)} MB/s (${fmt(appBps / rawBps)})`,
      );
    }
    console.log(
      `heap round: Peerline with OPFS storage, ${HEAP_BYTES / MiB} MiB, a chat message every ${CHAT_EVERY_MS} ms`,
    );
    // Sampling starts once the file is in the sender's OPFS: the transfer's heap, not the copy's.
    const heapRun = await peerlineRound(
      sender,
      receiver,
      HEAP_BYTES,
      CHAT_EVERY_MS,
      'opfs',
      async () => {
        await Promise.all([call(sender, 'heapStart'), call(receiver, 'heapStart')]);
      },
    );
    const [senderHeap, receiverHeap] = await Promise.all([
      call<HeapFigures>(sender, 'heapStop'),
      call<HeapFigures>(receiver, 'heapStop'),
    ]);
    const figures = {
      browser: browser.version(),
      ratioBytes: RATIO_BYTES,
      rounds: ROUNDS,
      rawMBps: mbps(median(raws)),
      peerlineMBps: mbps(median(ours)),
      ratioOfMedians: median(ours) / median(raws),
      medianRatio: median(ratios),
      sessionMBps: mbps(median(sessions)),
      sessionRatioOfMedians: median(sessions) / median(raws),
      appMBps: mbps(median(apps)),
      appRatioOfMedians: median(apps) / median(raws),
      appMedianRatio: median(appRatios),
      heapBytes: HEAP_BYTES,
      heapRunMBps: mbps(heapRun.bytesPerSecond),
      senderHeapPeakMiB: senderHeap.peakGrowth / MiB,
      receiverHeapPeakMiB: receiverHeap.peakGrowth / MiB,
      senderHeapLiveMiB: senderHeap.liveGrowth / MiB,
      receiverHeapLiveMiB: receiverHeap.liveGrowth / MiB,
      chatMessages: heapRun.latencies.length,
      chatLatencyMedianMs: median(heapRun.latencies),
      chatLatencyP95Ms: percentile(heapRun.latencies, 95),
    };
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log('');
    console.log('| figure | value | target |');
    console.log('| --- | --- | --- |');
    console.log(
      `| raw RTCDataChannel, 64 KiB messages (median) | ${fmt(figures.rawMBps, 1)} MB/s | |`,
    );
    console.log(
      `| Peerline file transfer, storage in memory (median) | ${fmt(figures.peerlineMBps, 1)} MB/s | |`,
    );
    console.log(
      `| Peerline / raw (ratio of medians; median of per-round ratios) | ${fmt(figures.ratioOfMedians)}; ${fmt(figures.medianRatio)} | ≥ 0.9: ${verdict(figures.ratioOfMedians >= 0.9)} |`,
    );
    console.log(
      `| Peerline session alone: BINARY frames, same flow control, no engine (median; / raw) | ${fmt(figures.sessionMBps, 1)} MB/s; ${fmt(figures.sessionRatioOfMedians)} | |`,
    );
    console.log(
      `| Peerline file transfer with the app's OPFS storage (median) | ${fmt(figures.appMBps, 1)} MB/s | |`,
    );
    console.log(
      `| with OPFS / raw (ratio of medians; median of per-round ratios) | ${fmt(figures.appRatioOfMedians)}; ${fmt(figures.appMedianRatio)} | ≥ 0.9: ${verdict(figures.appRatioOfMedians >= 0.9)} |`,
    );
    console.log(
      `| sender JS heap growth, ${HEAP_BYTES / MiB} MiB transfer with OPFS storage (live, after gc; raw peak incl. garbage) | ${fmt(figures.senderHeapLiveMiB, 1)}; ${fmt(figures.senderHeapPeakMiB, 1)} MiB | ≤ 64 MiB: ${verdict(Math.max(figures.senderHeapLiveMiB, figures.senderHeapPeakMiB) <= 64)} |`,
    );
    console.log(
      `| receiver JS heap growth (live; raw peak) | ${fmt(figures.receiverHeapLiveMiB, 1)}; ${fmt(figures.receiverHeapPeakMiB, 1)} MiB | ≤ 64 MiB: ${verdict(Math.max(figures.receiverHeapLiveMiB, figures.receiverHeapPeakMiB) <= 64)} |`,
    );
    console.log(
      `| chat latency during the transfer (median; p95; ${figures.chatMessages} messages) | ${fmt(figures.chatLatencyMedianMs, 1)}; ${fmt(figures.chatLatencyP95Ms, 1)} ms | |`,
    );
    console.log(
      `| throughput of the ${HEAP_BYTES / MiB} MiB run | ${fmt(figures.heapRunMBps, 1)} MB/s | |`,
    );
    writeFileSync(join(here, 'results', 'transfer.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await browser?.close();
    served.close();
  }
}

const overall = setTimeout(() => {
  console.error(`bench:transfer: not done after ${OVERALL_MS / 60_000} min, giving up`);
  process.exit(2);
}, OVERALL_MS);
overall.unref();

main().then(
  () => clearTimeout(overall),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
