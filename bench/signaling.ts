// Signaling load benchmark (issue 4): N clients register and exchange offer / answer / ICE
// candidates in pairs through the Peerline Worker (wrangler dev, workerd) and, in the same run,
// through a PeerJS server (npm `peer`), then prints signals/s, p50/p99 delivery latency,
// registration time, server memory and the ratios. Loopback only, bounded in count and time.
//   npx tsx bench/signaling.ts [--clients=200,1000] [--candidates=4] [--rounds=2]
//                              [--timeout=120] [--clients-per-ip=1]
//                              [--peerjs=<path to the peer package>|skip]
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import { freePort, startDevServer } from '../signaling-worker/tools/dev-server.ts';
import {
  type Driver,
  peerjsDriver,
  type RunResult,
  runExchange,
  workerDriver,
} from '../signaling-worker/tools/load.ts';
import { open, ReplayCache, seal } from '../src/crypto/seal.ts';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? ''] as const;
  }),
);
const CLIENTS = (args.get('clients') || '200,1000')
  .split(',')
  .map((n) => Math.max(2, Math.min(5000, Number(n))));
const CANDIDATES = Math.min(20, Number(args.get('candidates') || 4));
const ROUNDS = Math.min(10, Number(args.get('rounds') || 2));
const TIMEOUT_MS = Math.min(600, Number(args.get('timeout') || 120)) * 1000;
/** Clients sharing one (fake) IP; ≤ 25 keeps every IP under the default connect burst of 30. */
const PER_IP = Math.max(1, Math.min(25, Number(args.get('clients-per-ip') || 1)));

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return Math.round(kb / 102.4) / 10;
}

/** Where `peer` can be imported from: --peerjs, $PEERJS_MODULE, or the project's node_modules. */
function peerModule(): string | undefined {
  const given = args.get('peerjs') ?? process.env.PEERJS_MODULE;
  if (given === 'skip') return undefined;
  const req = createRequire(given ? `${given.replace(/\/$/, '')}/` : import.meta.url);
  try {
    return given ? req.resolve(given) : req.resolve('peer');
  } catch {
    return undefined;
  }
}

async function startPeerJs(modulePath: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const code = `const { PeerServer } = require(${JSON.stringify(modulePath)});
PeerServer({ host: '127.0.0.1', port: ${port}, path: '/', concurrent_limit: 100000, alive_timeout: 600000 });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/peerjs/id`);
      return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('PeerJS server did not start');
}

interface Row extends RunResult {
  server: string;
  /** Server RSS with no client, then after the exchange with all N still connected. */
  idleMemoryMb: number;
  memoryMb: number;
}

async function measure(driver: Driver, n: number, pids: () => number[]): Promise<Row> {
  const idleMemoryMb = rssMb(pids());
  const { result, peers } = await runExchange(driver, {
    clients: n,
    candidates: CANDIDATES,
    rounds: ROUNDS,
    timeoutMs: TIMEOUT_MS,
  });
  const memoryMb = rssMb(pids());
  for (const p of peers) p.close();
  return { server: driver.name, idleMemoryMb, memoryMb, ...result };
}

function sealCost(): { sealMs: number; openMs: number } {
  const a = ed25519.keygen();
  const b = ed25519.keygen();
  const payload = new Uint8Array(1200);
  const count = 30;
  let t = performance.now();
  const sealed = Array.from({ length: count }, () => seal(a, b.publicKey, payload));
  const sealMs = (performance.now() - t) / count;
  const replay = new ReplayCache();
  t = performance.now();
  for (const s of sealed) open(s, { recipient: b, claimedSender: a.publicKey, replay });
  return { sealMs, openMs: (performance.now() - t) / count };
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function print(r: Row): void {
  console.log(
    `${r.server.padEnd(16)} N=${String(r.clients).padStart(5)}  ` +
      `register ${fmt(r.registerMs.total / 1000, 2)} s (p50 ${fmt(r.registerMs.p50)} ms, p99 ${fmt(r.registerMs.p99)} ms)  ` +
      `${r.delivered}/${r.signals} signals in ${fmt(r.exchangeMs)} ms = ${fmt(r.signalsPerSecond, 0)} signals/s  ` +
      `latency p50 ${fmt(r.latencyMs.p50)} ms p99 ${fmt(r.latencyMs.p99)} ms  memory ${fmt(r.idleMemoryMb)} → ${fmt(r.memoryMb)} MB`,
  );
}

async function main(): Promise<void> {
  const cost = sealCost();
  console.log(
    `client-side sealing (noble, Node): seal ${fmt(cost.sealMs, 2)} ms, open ${fmt(cost.openMs, 2)} ms per signal`,
  );
  console.log(
    `exchange per pair: offer, answer, ${CANDIDATES}+${CANDIDATES} candidates; ${ROUNDS} round(s)\n`,
  );
  const peerPath = peerModule();
  const rows: { worker: Row; peerjs?: Row }[] = [];
  for (const n of CLIENTS) {
    const dev = await startDevServer({}, existsSync('/dev/shm') ? '/dev/shm' : undefined);
    let worker: Row;
    try {
      worker = await measure(workerDriver(dev.url, PER_IP), n, () => dev.workerdPids());
    } finally {
      await dev.stop();
    }
    print(worker);
    let peerjs: Row | undefined;
    if (peerPath) {
      const pj = await startPeerJs(peerPath);
      try {
        peerjs = await measure(peerjsDriver(pj.url), n, () => (pj.child.pid ? [pj.child.pid] : []));
      } finally {
        pj.child.kill('SIGTERM');
      }
      print(peerjs);
      console.log(
        `${''.padEnd(16)} ratio worker/peerjs: throughput ${fmt(worker.signalsPerSecond / peerjs.signalsPerSecond, 2)}×, ` +
          `p99 latency ${fmt(worker.latencyMs.p99 / peerjs.latencyMs.p99, 2)}×, memory ${fmt(worker.memoryMb / peerjs.memoryMb, 2)}×`,
      );
    }
    rows.push(peerjs ? { worker, peerjs } : { worker });
  }
  if (!peerPath) {
    console.log(
      '\nPeerJS baseline skipped: npm `peer` is not installed (pass --peerjs=<dir> or add it as a devDependency).',
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/signaling.json', `${JSON.stringify({ cost, rows }, null, 2)}\n`);
}

await main();
