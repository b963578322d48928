// `npm run bench:transfer` (issue 6): in Debian's Chromium, two browsers on one machine,
// in the same run —
//   1. raw RTCDataChannel throughput (64 KiB messages, bufferedAmount backpressure) and Peerline
//      file-transfer throughput (simple-peer + Noise session + transfer engine) over identical
//      loopback connections, interleaved rounds, and their ratio (target ≥ 0.9) — with, between
//      them, the raw channel plus one WebCrypto AES-GCM call per message on each side (also with
//      the receiver's incremental SHA-256: the per-byte work the issue requires of anyone), and
//      the session without the engine;
//   2. sender and receiver JS heap growth during a 1 GiB Peerline transfer (target ≤ 64 MiB);
//   3. chat message latency on the same session while that transfer runs;
//   4. CPU time of both browsers per MB for each series (Linux /proc): on a 2-core machine the
//      loopback channel is CPU-bound, so this says what the throughput ratio can be at best.
// Each side is its own browser with an on-disk profile (OPFS on disk, as for a user). The rounds
// run in two layouts: 'shared' (both browsers on every core, as the OS schedules them) and
// 'split' (each browser pinned to a core of its own with taskset: two peers that do not take
// CPU from each other, as two people's machines do not). The heap round runs in the first.
// Figures are medians; bench/results/transfer.json keeps them. Environment overrides:
// BENCH_TRANSFER_MB (ratio rounds, default 128), BENCH_TRANSFER_HEAP_MB (default 1024),
// BENCH_TRANSFER_ROUNDS (default 5), BENCH_TRANSFER_LAYOUTS (default 'shared,split').

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { BENCH_CHROMIUM_ARGS, serveBundle } from './lib/browser.ts';
import { browserPidByProfile, treeCpuMs } from './lib/proc-cpu.ts';
import { fmt, median, percentile } from './lib/stats.ts';
import type { RawMode } from './transfer-raw.ts';
import { type HeapRunFigures, printReport, type RatioFigures } from './transfer-report.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.PEERLINE_CHROMIUM ?? '/usr/bin/chromium';
const MiB = 1024 * 1024;
const RATIO_BYTES = Number(process.env.BENCH_TRANSFER_MB ?? 128) * MiB;
const HEAP_BYTES = Number(process.env.BENCH_TRANSFER_HEAP_MB ?? 1024) * MiB;
const ROUNDS = Number(process.env.BENCH_TRANSFER_ROUNDS ?? 5);
/** The raw sender's backpressure: the same thresholds as the engine's defaults. */
const HIGH = 1024 * 1024;
const LOW = 256 * 1024;
const CHAT_EVERY_MS = 100;
const OVERALL_MS = 40 * 60_000;
const TASKSET = '/usr/bin/taskset';

/** 'shared': both browsers on every core; 'split': browser i pinned to core i. */
type Layout = 'shared' | 'split';

function layouts(): Layout[] {
  const asked = (process.env.BENCH_TRANSFER_LAYOUTS ?? 'shared,split').split(',');
  const out: Layout[] = [];
  for (const l of asked) {
    if (l !== 'shared' && l !== 'split') throw new Error(`unknown layout '${l}' (shared, split)`);
    out.push(l);
  }
  if (out.includes('split') && (availableParallelism() < 2 || !existsSync(TASKSET))) {
    throw new Error('the split layout needs two cores and taskset (BENCH_TRANSFER_LAYOUTS=shared)');
  }
  return out;
}

/** The CPUs process `pid` may run on, as /proc says (`Cpus_allowed_list`, e.g. "0" or "0-1"). */
function allowedCpus(pid: number): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The executable for side `i`: Chromium itself, or a script that pins it (and every process
 * it starts) to core `i`. */
function launcher(layout: Layout, i: number, dir: string): string {
  if (layout === 'shared') return CHROMIUM;
  const path = join(dir, `chromium-core${i}`);
  writeFileSync(path, `#!/bin/sh\nexec ${TASKSET} -c ${i} '${CHROMIUM}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

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

/** Profiles and launcher scripts of the browsers now open, removed even on the timeout path. */
const tempDirs = new Set<string>();

/** The two browsers' process trees: CPU is read over both (bench/lib/proc-cpu.ts). */
let cpuRoots: number[] = [];

interface Measured {
  readonly bytesPerSecond: number;
  /** CPU milliseconds per MB (10^6 bytes) over both browsers; NaN where /proc is missing. */
  readonly cpuMsPerMB: number;
}

/** Runs the transfer stretch `f` (which resolves with its start and end times) and reads the
 * browsers' CPU around it. */
async function measured(
  bytes: number,
  f: () => Promise<{ start: number; end: number }>,
): Promise<Measured> {
  const before = treeCpuMs(cpuRoots);
  const { start, end } = await f();
  const after = treeCpuMs(cpuRoots);
  const cpu =
    before === undefined || after === undefined ? Number.NaN : (after - before) / (bytes / 1e6);
  return { bytesPerSecond: bytes / ((end - start) / 1000), cpuMsPerMB: cpu };
}

async function rawRound(
  sender: Page,
  receiver: Page,
  bytes: number,
  mode: RawMode,
): Promise<Measured> {
  const offer = await call<string>(sender, 'rawOffer');
  const answer = await call<string>(receiver, 'rawAnswer', offer);
  await call(sender, 'rawFinish', answer);
  await call(receiver, 'rawArm', bytes, mode);
  const run = await measured(bytes, async () => {
    const start = await call<number>(sender, 'rawSend', bytes, HIGH, LOW, mode);
    return { start, end: await call<number>(receiver, 'rawReceived') };
  });
  await Promise.all([call(sender, 'rawClose'), call(receiver, 'rawClose')]);
  return run;
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

interface PeerlineRun extends Measured {
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
  const run = await measured(bytes, async () => {
    const { start } = await call<{ start: number }>(sender, 'plSend', chatEveryMs);
    return { start, end: await call<number>(receiver, 'plReceived') };
  });
  const latencies = await call<number[]>(receiver, 'plLatencies');
  await Promise.all([call(sender, 'plDiscard'), call(receiver, 'plDiscard')]);
  await Promise.all([call(sender, 'plClose'), call(receiver, 'plClose')]);
  return { ...run, latencies };
}

/** The session alone (no engine, storage or hashing): splits Peerline's cost in two. */
async function sessionRound(sender: Page, receiver: Page, bytes: number): Promise<Measured> {
  await peerlineConnect(sender, receiver, 'memory');
  await call(receiver, 'plSessionArm', bytes);
  const run = await measured(bytes, async () => {
    const start = await call<number>(sender, 'plSessionSend', bytes);
    return { start, end: await call<number>(receiver, 'plSessionReceived') };
  });
  await Promise.all([call(sender, 'plClose'), call(receiver, 'plClose')]);
  return run;
}

interface HeapFigures {
  readonly baseline: number;
  readonly peakGrowth: number;
  readonly liveGrowth: number;
}

const mbps = (bps: number) => bps / 1e6;

/** One browser per side with an on-disk profile: like two people's browsers, and OPFS writes
 * go to disk as for a user (an incognito context keeps OPFS in the browser process's memory,
 * which costs that process ~18 ms of CPU per MB here). */
async function openSide(
  i: number,
  url: string,
  dir: string,
  executablePath: string,
): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    args: [...BENCH_CHROMIUM_ARGS],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[page ${i}]`, m.text());
  });
  page.on('pageerror', (e) => console.error(`[page ${i}] error`, e.message));
  await page.goto(url);
  await page.waitForFunction(() => Reflect.get(globalThis, '__transferReady') === true);
  return context;
}

/** The full version (the user agent gives only the major one, and a persistent context has no
 * Browser object to ask). */
function chromiumVersion(): string {
  try {
    const out = execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /\d+(\.\d+)+/.exec(out)?.[0] ?? out.trim();
  } catch {
    return 'unknown';
  }
}

const KINDS = ['raw', 'sealed', 'hashed', 'session', 'memory', 'opfs'] as const;
type Kind = (typeof KINDS)[number];
const RAW_MODES = { raw: 'plain', sealed: 'sealed', hashed: 'hashed' } as const satisfies Record<
  string,
  RawMode
>;

/** Interleaved rounds of the six series in one layout. */
async function ratioRounds(layout: Layout, sender: Page, receiver: Page): Promise<RatioFigures> {
  const got: Record<Kind, Measured[]> = {
    raw: [],
    sealed: [],
    hashed: [],
    session: [],
    memory: [],
    opfs: [],
  };
  const ratios: number[] = [];
  const appRatios: number[] = [];
  // Each round runs the six in a rotated order, so warm-up and drift hit all alike.
  for (let r = 0; r < ROUNDS; r++) {
    const round: Partial<Record<Kind, Measured>> = {};
    for (let k = 0; k < KINDS.length; k++) {
      const kind = KINDS[(r + k) % KINDS.length] as Kind;
      const m =
        kind === 'raw' || kind === 'sealed' || kind === 'hashed'
          ? await rawRound(sender, receiver, RATIO_BYTES, RAW_MODES[kind])
          : kind === 'session'
            ? await sessionRound(sender, receiver, RATIO_BYTES)
            : await peerlineRound(sender, receiver, RATIO_BYTES, 0, kind);
      round[kind] = m;
      got[kind].push(m);
    }
    const bps = (k: Kind) => round[k]?.bytesPerSecond ?? Number.NaN;
    const cpu = (k: Kind) => round[k]?.cpuMsPerMB ?? Number.NaN;
    ratios.push(bps('memory') / bps('raw'));
    appRatios.push(bps('opfs') / bps('raw'));
    const part = (k: Kind, label: string) =>
      `${label} ${fmt(mbps(bps(k)), 1)} MB/s${k === 'raw' ? '' : ` (${fmt(bps(k) / bps('raw'))})`} ${fmt(cpu(k), 0)} ms CPU/MB`;
    console.log(
      `  ${layout} round ${r + 1}: ${part('raw', 'raw')}; ${part('sealed', 'raw + AES-GCM')}; ${part('hashed', '+ SHA-256')}; ${part('session', 'session alone')}; ${part('memory', 'Peerline')}; ${part('opfs', 'with OPFS')}`,
    );
  }
  const bpsOf = (k: Kind) => median(got[k].map((m) => m.bytesPerSecond));
  const cpuOf = (k: Kind) => median(got[k].map((m) => m.cpuMsPerMB));
  return {
    layout,
    rawMBps: mbps(bpsOf('raw')),
    sealedMBps: mbps(bpsOf('sealed')),
    sealedRatioOfMedians: bpsOf('sealed') / bpsOf('raw'),
    peerlineOverSealed: bpsOf('memory') / bpsOf('sealed'),
    hashedMBps: mbps(bpsOf('hashed')),
    hashedRatioOfMedians: bpsOf('hashed') / bpsOf('raw'),
    peerlineOverHashed: bpsOf('memory') / bpsOf('hashed'),
    appOverHashed: bpsOf('opfs') / bpsOf('hashed'),
    peerlineMBps: mbps(bpsOf('memory')),
    ratioOfMedians: bpsOf('memory') / bpsOf('raw'),
    medianRatio: median(ratios),
    sessionMBps: mbps(bpsOf('session')),
    sessionRatioOfMedians: bpsOf('session') / bpsOf('raw'),
    appMBps: mbps(bpsOf('opfs')),
    appRatioOfMedians: bpsOf('opfs') / bpsOf('raw'),
    appMedianRatio: median(appRatios),
    rawCpuMsPerMB: cpuOf('raw'),
    sealedCpuMsPerMB: cpuOf('sealed'),
    hashedCpuMsPerMB: cpuOf('hashed'),
    sessionCpuMsPerMB: cpuOf('session'),
    peerlineCpuMsPerMB: cpuOf('memory'),
    appCpuMsPerMB: cpuOf('opfs'),
  };
}

/** One 1 GiB-class transfer with the app's storage and chat: heap growth and chat latency. */
async function heapRound(sender: Page, receiver: Page): Promise<HeapRunFigures> {
  console.log(
    `heap round: Peerline with OPFS storage, ${HEAP_BYTES / MiB} MiB, a chat message every ${CHAT_EVERY_MS} ms`,
  );
  // Sampling starts once the file is in the sender's OPFS: the transfer's heap, not the copy's.
  const run = await peerlineRound(sender, receiver, HEAP_BYTES, CHAT_EVERY_MS, 'opfs', async () => {
    await Promise.all([call(sender, 'heapStart'), call(receiver, 'heapStart')]);
  });
  const [senderHeap, receiverHeap] = await Promise.all([
    call<HeapFigures>(sender, 'heapStop'),
    call<HeapFigures>(receiver, 'heapStop'),
  ]);
  return {
    heapBytes: HEAP_BYTES,
    heapRunMBps: mbps(run.bytesPerSecond),
    senderHeapPeakMiB: senderHeap.peakGrowth / MiB,
    receiverHeapPeakMiB: receiverHeap.peakGrowth / MiB,
    senderHeapLiveMiB: senderHeap.liveGrowth / MiB,
    receiverHeapLiveMiB: receiverHeap.liveGrowth / MiB,
    chatMessages: run.latencies.length,
    chatLatencyMedianMs: median(run.latencies),
    chatLatencyP95Ms: percentile(run.latencies, 95),
  };
}

/** Opens the two browsers of `layout`, runs `f` with their pages, and closes them. */
async function withSides<T>(
  layout: Layout,
  url: string,
  f: (sender: Page, receiver: Page) => Promise<T>,
): Promise<T> {
  const scripts = mkdtempSync(join(tmpdir(), 'peerline-bench-launch-'));
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'peerline-bench-profile-')));
  for (const d of [...dirs, scripts]) tempDirs.add(d);
  const contexts: BrowserContext[] = [];
  try {
    for (const [i, dir] of dirs.entries()) {
      contexts.push(await openSide(i, url, dir, launcher(layout, i, scripts)));
    }
    cpuRoots = dirs.map((d) => browserPidByProfile(d)).filter((p) => p !== undefined);
    // Half the browsers would halve the CPU figures: print none rather than a wrong one.
    if (cpuRoots.length !== 2) {
      console.warn('bench:transfer: browser processes not found in /proc; no CPU figures');
      cpuRoots = [];
    }
    if (layout === 'split') {
      // A launcher that did not pin (taskset missing or refused) would make 'split' a second
      // 'shared' run under the wrong name.
      for (const [i, dir] of dirs.entries()) {
        const pid = browserPidByProfile(dir);
        const cpus = pid === undefined ? undefined : allowedCpus(pid);
        if (cpus !== String(i)) throw new Error(`browser ${i} not pinned to core ${i} (${cpus})`);
      }
    }
    const [sender, receiver] = contexts.map((c) => c.pages()[0]) as [Page, Page];
    return await f(sender, receiver);
  } finally {
    try {
      await Promise.allSettled(contexts.map((c) => c.close()));
    } finally {
      for (const d of [...dirs, scripts]) {
        rmSync(d, { recursive: true, force: true });
        tempDirs.delete(d);
      }
    }
  }
}

async function main(): Promise<void> {
  const served = await serveBundle(join(here, 'transfer-page.ts'));
  try {
    const version = chromiumVersion();
    const runs = layouts();
    console.log(
      `bench:transfer — Chromium ${version}, two browsers, ${ROUNDS} rounds of ${RATIO_BYTES / MiB} MiB each way, interleaved; layouts: ${runs.join(', ')}`,
    );
    const ratios: RatioFigures[] = [];
    let heap: (HeapRunFigures & { readonly layout: Layout }) | undefined;
    for (const layout of runs) {
      await withSides(layout, served.url, async (sender, receiver) => {
        ratios.push(await ratioRounds(layout, sender, receiver));
        heap ??= { layout, ...(await heapRound(sender, receiver)) };
      });
    }
    if (heap === undefined) throw new Error('no layout to run (BENCH_TRANSFER_LAYOUTS)');
    printReport(ratios, heap);
    writeFileSync(
      join(here, 'results', 'transfer.json'),
      `${JSON.stringify({ browser: version, ratioBytes: RATIO_BYTES, rounds: ROUNDS, layouts: ratios, heap }, null, 2)}\n`,
    );
  } finally {
    served.close();
  }
}

const overall = setTimeout(() => {
  console.error(`bench:transfer: not done after ${OVERALL_MS / 60_000} min, giving up`);
  // The profiles may hold hundreds of MB of OPFS data; the browsers die with this process.
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
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
