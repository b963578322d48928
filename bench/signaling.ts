// Signaling load benchmark (issue 4; docs/signaling.md §10): N clients in pairs exchange offer →
// answer + C candidates → C candidates through the Peerline Worker (`wrangler dev`) and a PeerJS
// server (npm `peer`) in one run. Both servers are up at once and their rounds alternate, so other
// load on the machine hits both alike; figures are medians over rounds. Clients are identical for
// both and offer no permessage-deflate unless --deflate (PeerJS declines it; wrangler's dev proxy
// would accept it whatever the Worker's own setting). Loopback only, bounded in count and time.
//   npx tsx bench/signaling.ts [--clients=200,1000] [--candidates=4] [--rounds=9] [--warmup=1]
//     [--clients-per-ip=1] [--deflate] [--peerjs=<dir of `peer`>|skip]   (≤ 30 s a round)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import WebSocket from 'ws';
import { freePort, startDevServer } from '../signaling-worker/tools/dev-server.ts';
import { registerSignedBytes } from '../src/signaling/protocol.ts';
import { median, percentile } from './lib/stats.ts';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k = '', v = ''] = a.replace(/^--/, '').split('=');
    return [k, v] as const;
  }),
);
const int = (k: string, d: number, lo: number, hi: number) => {
  const v = Math.floor(Number(args.get(k) ?? d));
  return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : d;
};
const CLIENTS = (args.get('clients') ?? '200,1000')
  .split(',')
  .map((n) => Math.max(2, Math.min(5000, 2 * Math.floor(Number(n) / 2) || 2)));
const C = int('candidates', 4, 0, 20);
const WARMUP = int('warmup', 1, 0, 3);
// Each client sends C+1 signals a round: stay under the per-key limit (100 a minute, burst 100).
const ROUNDS = Math.max(1, Math.min(int('rounds', 9, 1, 15), Math.floor(90 / (C + 1)) - WARMUP));
const PER_IP = int('clients-per-ip', 1, 1, 25);
const DEFLATE = args.has('deflate');
const ORIGIN = 'http://127.0.0.1:5173';
/** Sealed sizes before base64: an SDP offer/answer ≈ 1.2 KB plaintext, a candidate ≈ 120 B. */
const BYTES = { O: 1340, A: 1340, C: 260 } as const;

type Kind = keyof typeof BYTES;
type OnSignal = (to: string, from: string, payload: string) => void;
type Msg = Record<string, unknown>;
/** A server under test: how a client joins it (resolves once it may send), its processes. */
type Server = { name: string; join(i: number, on: OnSignal): Promise<Client>; pids(): Pids };
type Client = { id: string; send(to: string, kind: Kind, payload: string): void };
type Pids = Record<string, number>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const sockets: WebSocket[] = [];

/** Opens a client socket; `handle` gets every message; rejects on error or after 30 s. */
function open(url: string, o: WebSocket.ClientOptions, handle: (ws: WebSocket, m: Msg) => void) {
  const ws = new WebSocket(url, { ...o, perMessageDeflate: DEFLATE });
  sockets.push(ws);
  ws.on('message', (d) => handle(ws, JSON.parse(d.toString()) as Msg));
  return new Promise<void>((_, reject) => {
    ws.on('error', reject);
    setTimeout(() => reject(new Error(`no session in 30 s: ${url}`)), 30_000).unref();
  });
}

/** Peerline Worker: signed-challenge registration (PROTOCOL.md §11.2.1), then `signal` frames. */
const workerServer = (base: string, pids: () => Pids): Server => ({
  name: 'peerline-worker',
  pids,
  join: (index, on) =>
    new Promise((ready, fail) => {
      const { secretKey, publicKey } = ed25519.keygen();
      const id = bytesToHex(publicKey);
      // One fake client IP per PER_IP clients; the per-IP limits stay at production values.
      const n = Math.floor(index / PER_IP);
      const headers = { 'CF-Connecting-IP': `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}` };
      const url = `${base.replace('http', 'ws')}/connect/${id}`;
      open(url, { origin: ORIGIN, headers }, (ws, m) => {
        if (m.type === 'signal') on(id, str(m.from), str(m.payload));
        else if (m.type === 'challenge') {
          const timestamp = Date.now();
          const msg = registerSignedBytes(str(m.challenge), ORIGIN, timestamp, id);
          const signature = bytesToHex(ed25519.sign(msg ?? new Uint8Array(), secretKey));
          ws.send(JSON.stringify({ type: 'register', key: id, timestamp, signature }));
        } else if (m.type === 'register_ok') {
          ready({
            id,
            send: (to, _, p) => ws.send(JSON.stringify({ type: 'signal', to, payload: p })),
          });
        }
      }).catch(fail);
    }),
});

/** PeerJS server protocol (npm `peer` 1.x): OPEN on connect, OFFER/ANSWER/CANDIDATE relayed. */
const peerjsServer = (base: string, pid: number): Server => ({
  name: 'peerjs-server',
  pids: () => ({ peerjs: pid }),
  join: (_index, on) =>
    new Promise((ready, fail) => {
      const id = randomBytes(32).toString('hex');
      const type = { O: 'OFFER', A: 'ANSWER', C: 'CANDIDATE' } as const;
      const url = `${base.replace('http', 'ws')}/peerjs?key=peerjs&id=${id}&token=t${pid}`;
      open(url, {}, (ws, m) => {
        if (m.type === 'OPEN') {
          ready({
            id,
            send: (dst, k, s) => ws.send(JSON.stringify({ type: type[k], dst, payload: { s } })),
          });
        } else if (m.src) on(id, str(m.src), str((m.payload as Msg | undefined)?.s));
      }).catch(fail);
    }),
});

/** A /proc figure of a process: CPU seconds (user + system) or resident MB; NaN once gone. */
function proc(pid: number, what: 'cpu' | 'rss'): number {
  const read = (f: string) =>
    existsSync(`/proc/${pid}/${f}`) ? readFileSync(`/proc/${pid}/${f}`, 'utf8') : '';
  if (what === 'rss')
    return Number(/VmRSS:\s+(\d+)/.exec(read('status'))?.[1] ?? Number.NaN) / 1024;
  const f = read('stat').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100;
}
const rss = (s: Server) => Object.values(s.pids()).reduce((a, p) => a + proc(p, 'rss'), 0);

// Random base64 of the sealed sizes, unique through a 12-character prefix (kind + counter) that
// stays in the base64 alphabet and keys the latency table.
const fill = (k: Kind) => randomBytes(BYTES[k]).toString('base64').slice(12);
const FILLER: Record<Kind, string> = { O: fill('O'), A: fill('A'), C: fill('C') };
let serial = 0;
const payloadOf = (k: Kind) => k + (serial++).toString(36).padStart(11, '0') + FILLER[k];

/** One exchange of every pair; `cpuUs`: CPU µs per delivered signal by process (harness: us). */
type Round = { signalsPerSecond: number; p50: number; p99: number; delivered: number; cpuUs: Pids };

/** Joins N clients (waves of 50) to a server; `round()` runs one exchange of every pair at once. */
async function populate(server: Server, n: number) {
  const sentAt = new Map<string, number>();
  const byId = new Map<string, Client>();
  let [lat, delivered, wake] = [[] as number[], 0, () => {}];
  const send = (from: Client, to: string, k: Kind) => {
    const p = payloadOf(k);
    sentAt.set(p.slice(0, 12), performance.now());
    from.send(to, k, p);
  };
  const on: OnSignal = (to, from, p) => {
    const t0 = sentAt.get(p.slice(0, 12));
    if (t0 !== undefined) lat.push(performance.now() - t0);
    delivered++;
    const me = byId.get(to);
    if (me && p[0] === 'O') send(me, from, 'A');
    if (me && p[0] !== 'C') for (let c = 0; c < C; c++) send(me, from, 'C');
    wake();
  };
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i += 50) {
    const wave = Array.from({ length: Math.min(50, n - i) }, async (_, j) => {
      const s = performance.now();
      const c = await server.join(i + j, on);
      times.push(performance.now() - s);
      return c;
    });
    for (const c of await Promise.all(wave)) byId.set(c.id, c);
  }
  const totalMs = performance.now() - t0;
  const registration = { totalMs, p50: median(times), p99: percentile(times, 99) };
  const clients = [...byId.values()];
  const round = async (): Promise<Round> => {
    const pids = Object.entries({ ...server.pids(), harness: process.pid });
    const cpu0 = pids.map(([, pid]) => proc(pid, 'cpu'));
    const [before, start] = [delivered, performance.now()];
    let last = start;
    [lat, wake] = [[], () => {}];
    const done = new Promise<void>((resolve) => {
      wake = () => {
        last = performance.now();
        if (delivered >= before + n * (1 + C)) resolve();
      };
    });
    for (let i = 0; i + 1 < clients.length; i += 2) {
      const [a, b] = [clients[i], clients[i + 1]];
      if (a && b) send(a, b.id, 'O');
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, 30_000)))]);
    clearTimeout(timer);
    const got = delivered - before;
    sentAt.clear();
    const cpuUs = Object.fromEntries(
      pids.map(([k, pid], i) => [k, ((proc(pid, 'cpu') - (cpu0[i] ?? 0)) * 1e6) / (got || 1)]),
    );
    const signalsPerSecond = got / ((last - start) / 1000);
    return { signalsPerSecond, p50: median(lat), p99: percentile(lat, 99), delivered: got, cpuUs };
  };
  return { summary: { clients: n, signalsPerRound: n * (1 + C), registration }, round };
}

/** Where `peer` is imported from: --peerjs=<dir>, else the project's node_modules. */
function peerModule(given = args.get('peerjs')): string | undefined {
  try {
    return given === 'skip' ? undefined : createRequire(import.meta.url).resolve(given ?? 'peer');
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
    if (await fetch(`${url}/peerjs/id`).catch(() => undefined)) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('PeerJS server did not start');
}

async function measure(n: number, peerPath: string | undefined) {
  const dev = await startDevServer({}, existsSync('/dev/shm') ? '/dev/shm' : undefined);
  const pj = peerPath ? await startPeerJs(peerPath) : undefined;
  try {
    // wrangler dev runs two workerd processes: its proxy on the public port, and the Worker.
    const role = (p: number) =>
      readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`:${dev.port}\0`) ? 'proxy' : 'worker';
    const servers = [
      workerServer(dev.url, () => Object.fromEntries(dev.workerdPids().map((p) => [role(p), p]))),
    ];
    if (pj?.child.pid) servers.push(peerjsServer(pj.url, pj.child.pid));
    const runs = [];
    for (const s of servers)
      runs.push({ s, idle: rss(s), ...(await populate(s, n)), rs: [] as Round[] });
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      for (const run of r % 2 === 0 ? runs : [...runs].reverse()) {
        // A quiet gap: one server's (or the harness's) leftover work is not billed to the other.
        await new Promise((ok) => setTimeout(ok, 250));
        const res = await run.round();
        if (r >= WARMUP) run.rs.push(res);
      }
    }
    return runs.map(({ s, idle, summary, rs }) => {
      const med = (pick: (r: Round) => number) => median(rs.map(pick));
      const cpu = Object.keys(rs[0]?.cpuUs ?? {}).map((k) => [k, med((r) => r.cpuUs[k] ?? 0)]);
      return {
        ...summary,
        server: s.name,
        signalsPerSecond: med((r) => r.signalsPerSecond),
        latencyMs: { p50: med((r) => r.p50), p99: med((r) => r.p99) },
        cpuUsPerSignal: Object.fromEntries(cpu) as Pids,
        memoryMb: { idle, loaded: rss(s) },
        rounds: rs,
      };
    });
  } finally {
    for (const ws of sockets.splice(0)) ws.terminate();
    pj?.child.kill('SIGTERM');
    await dev.stop();
  }
}

const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function main(): Promise<void> {
  console.log(
    `per pair and round: offer, answer, ${C}+${C} candidates; ${ROUNDS} rounds (+${WARMUP} warm-up) ` +
      `alternating between servers, medians; client permessage-deflate ${DEFLATE ? 'offered' : 'off'}\n`,
  );
  const peerPath = peerModule();
  const all = [];
  for (const n of CLIENTS) {
    const rows = await measure(n, peerPath);
    for (const { server, registration: g, latencyMs: l, memoryMb: m, ...r } of rows) {
      const cpu = Object.entries(r.cpuUsPerSignal).map(([k, v]) => `${k} ${f(v)}`);
      console.log(
        `${server.padEnd(16)} N=${String(n).padStart(5)}  register ${f(g.totalMs / 1000, 2)} s ` +
          `(p50 ${f(g.p50)} ms, p99 ${f(g.p99)} ms)  ${r.signalsPerRound} signals/round: ` +
          `${f(r.signalsPerSecond)}/s, latency p50 ${f(l.p50, 1)} ms p99 ${f(l.p99, 1)} ms  ` +
          `CPU µs/signal ${cpu.join(', ')}  memory ${f(m.idle)} → ${f(m.loaded)} MB`,
      );
    }
    const [w, p] = rows;
    const x = (pick: (r: (typeof rows)[number]) => number) =>
      w && p ? f(pick(w) / pick(p), 2) : '';
    if (p)
      console.log(
        `${''.padEnd(17)}ratio worker/peerjs: throughput ${x((r) => r.signalsPerSecond)}×, p99 latency ${x((r) => r.latencyMs.p99)}×, memory ${x((r) => r.memoryMb.loaded)}×`,
      );
    all.push(rows);
  }
  if (!peerPath) console.log('\nPeerJS baseline skipped: npm `peer` not found (--peerjs=<dir>).');
  mkdirSync('bench/results', { recursive: true });
  const config = { candidates: C, rounds: ROUNDS, warmup: WARMUP, deflate: DEFLATE, perIp: PER_IP };
  writeFileSync('bench/results/signaling.json', JSON.stringify({ config, rows: all }, null, 2));
}

await main();
