// `npm start`: the whole of Peerline on this machine, no account and no internet: the signaling
// Worker under `wrangler dev` (workerd, offline), a local TURN relay when coturn is installed,
// and the web app. `npm start` serves the production build (service worker included);
// `npm run dev` (--dev) the Vite dev server with hot reload. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coturnArgs } from './coturn-args.mjs';

const dev = process.argv.includes('--dev');
const HOST = '127.0.0.1';
const WORKER_PORT = 8787;
const APP_PORT = dev ? 5173 : 4173;
const TURN_PORT = 3478;
const TURNSERVER = '/usr/bin/turnserver';

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

const procs = [];
let stopping = false;
/** Each child leads its own process group (npx → node → workerd…): the group is what we stop. */
function killGroup(p) {
  if (p.exitCode !== null || p.pid === undefined) return;
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const p of procs) killGroup(p);
  process.exit(code);
}
process.on('exit', () => {
  for (const p of procs) killGroup(p);
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

function run(cmd, args, opts = {}) {
  const p = spawn(cmd, args, { stdio: 'inherit', env, detached: true, ...opts });
  procs.push(p);
  p.on('exit', (code) => stop(code ?? 1));
  return p;
}

for (const [name, port] of [
  ['signaling Worker', WORKER_PORT],
  ['web app', APP_PORT],
]) {
  if (!(await portFree(port))) {
    console.error(`Peerline: port ${port} (${name}) is in use. Is Peerline already running?`);
    process.exit(1);
  }
}

// TURN: the Worker mints short-lived credentials from a shared secret (PROTOCOL.md §11.2, `ice_servers`).
// A fresh secret per run, handed to both; without coturn, peers on this machine connect directly.
const workerArgs = ['wrangler', 'dev', '--ip', HOST, '--port', String(WORKER_PORT)];
if (existsSync(TURNSERVER) && (await portFree(TURN_PORT))) {
  const secret = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'peerline-coturn-'));
  const turn = spawn(
    TURNSERVER,
    coturnArgs({
      ip: HOST,
      port: TURN_PORT,
      minPort: 49160,
      maxPort: 49200,
      realm: 'peerline.local',
      secret,
      dir,
    }),
    { stdio: 'ignore', env, detached: true },
  );
  procs.push(turn);
  workerArgs.push('--var', `TURN_SECRET:${secret}`);
  workerArgs.push('--var', `TURN_URLS:turn:${HOST}:${TURN_PORT}?transport=udp`);
  console.log(`Peerline: TURN relay (coturn) on ${HOST}:${TURN_PORT}`);
} else {
  console.log('Peerline: no TURN relay (coturn not installed or port 3478 busy): direct only.');
}
run('npx', workerArgs, { cwd: 'signaling-worker' });

if (dev) {
  run('npx', ['vite', '--host', HOST, '--port', String(APP_PORT), '--strictPort']);
} else {
  const built = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit', env });
  if (built.status !== 0) stop(built.status ?? 1);
  run('npx', ['vite', 'preview', '--host', HOST, '--port', String(APP_PORT), '--strictPort']);
}

console.log(
  [
    '',
    `Peerline: open http://${HOST}:${APP_PORT} (signaling on ws://${HOST}:${WORKER_PORT}).`,
    'To chat with yourself, use two browser profiles (e.g. a normal and a private window, or',
    'two browsers): windows of one profile share one identity.',
    '',
  ].join('\n'),
);
