// Starts `wrangler dev` (workerd, offline) on a free loopback port for tests and the benchmark,
// waits for /health, and stops the whole process group afterwards. Node only.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER_DIR = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = fileURLToPath(
  new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url),
);

export interface DevServer {
  url: string;
  port: number;
  adminSecret: string;
  turnSecret: string;
  /** Pids of the workerd processes serving this instance (for memory figures). */
  workerdPids(): number[];
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function children(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // Process ended while we looked.
    }
  }
  return out;
}

function descendants(pid: number): number[] {
  const all: number[] = [];
  const todo = [pid];
  for (let i = 0; i < todo.length && i < 10_000; i++) {
    const p = todo[i];
    if (p === undefined) break;
    for (const c of children(p)) {
      all.push(c);
      todo.push(c);
    }
  }
  return all;
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('wrangler dev did not become healthy in time');
}

/**
 * `persistBase` is where workerd keeps Durable Object state (one SQLite file per object); the
 * benchmark puts it on tmpfs so disk speed does not stand in for the Worker's own cost.
 */
export async function startDevServer(
  vars: Record<string, string>,
  persistBase = tmpdir(),
): Promise<DevServer> {
  const port = await freePort();
  const persist = mkdtempSync(join(persistBase, 'peerline-signaling-'));
  const adminSecret = randomBytes(24).toString('hex');
  const turnSecret = randomBytes(24).toString('hex');
  const all = { ...vars, ADMIN_SECRET: adminSecret, TURN_SECRET: turnSecret };
  const args = [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--persist-to', persist, '--show-interactive-dev-session=false', '--log-level', 'warn');
  args.push('--inspector-port', String(await freePort()));
  for (const [k, v] of Object.entries(all)) args.push('--var', `${k}:${v}`);
  const child = spawn(process.execPath, args, {
    cwd: WORKER_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  let log = '';
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  // If this process dies first, take the detached server group with it.
  const killGroup = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  };
  process.once('exit', killGroup);
  const stop = async (): Promise<void> => {
    process.off('exit', killGroup);
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Group already gone.
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  return {
    url,
    port,
    adminSecret,
    turnSecret,
    workerdPids: () =>
      child.pid === undefined
        ? []
        : descendants(child.pid).filter((p) => processName(p) === 'workerd'),
    stop,
  };
}
