// Runs a benchmark entry module inside Debian's Chromium: Vite bundles it, a loopback HTTP
// server serves it, Playwright loads it and collects what the page reports in
// `globalThis.__benchResult` (an object with `error` means the page failed).
// BENCH_MINIFY=0 keeps function names readable (for a CPU profile of the page).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
};

export interface ChromiumRunOptions {
  /** Whole run, bundling and browser start included. */
  readonly timeoutMs?: number;
  /** Every console.log/info line of the page (progress); errors always go to stderr. */
  readonly onLog?: (line: string) => void;
}

export interface ChromiumRun<T> {
  readonly result: T;
  /** The browser's full version (the page's user agent only gives the major one). */
  readonly version: string;
}

export interface BundleServer {
  /** http://127.0.0.1:<port>/ — the page that loads the entry. */
  readonly url: string;
  close(): void;
}

/**
 * Bundles `entry` with Vite into a temporary folder and serves it on a loopback port,
 * cross-origin isolated (performance.now() then ticks in 5 µs instead of 100 µs, which
 * sub-millisecond figures need). close() stops the server and deletes the folder.
 */
export async function serveBundle(entry: string): Promise<BundleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'peerline-bench-'));
  // A relative entry script: Vite resolves `./entry.js` inside its root, and that file
  // imports the real module by absolute path (Vite follows absolute fs paths).
  writeFileSync(join(dir, 'entry.js'), `import ${JSON.stringify(resolve(entry))};\n`);
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>bench</title><script type="module" src="./entry.js"></script>',
  );
  await build({
    root: dir,
    logLevel: 'warn',
    configFile: false,
    build: { outDir: join(dir, 'out'), target: 'es2022', minify: process.env.BENCH_MINIFY !== '0' },
  });
  const out = join(dir, 'out');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname);
    const path = normalize(join(out, rel));
    if (!path.startsWith(out + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(path);
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium flags of every benchmark: gc() and an unquantized performance.memory. */
export const BENCH_CHROMIUM_ARGS: readonly string[] = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

export async function runInChromium<T>(
  entry: string,
  opts: ChromiumRunOptions = {},
): Promise<ChromiumRun<T>> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const deadline = Date.now() + timeoutMs;
  const served = await serveBundle(entry);
  try {
    const browser = await chromium.launch({
      executablePath: process.env.PEERLINE_CHROMIUM ?? '/usr/bin/chromium',
      timeout: Math.max(1_000, deadline - Date.now()),
      args: [...BENCH_CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') console.error('[chromium]', m.text());
        else if (m.type() === 'log' || m.type() === 'info') opts.onLog?.(m.text());
      });
      // An uncaught error in the page would otherwise only show up as a timeout.
      const crashed = new Promise<never>((_, reject) => {
        page.on('pageerror', (e) => reject(new Error(`page error: ${e.message}`)));
        page.on('crash', () => reject(new Error('page crashed')));
      });
      crashed.catch(() => undefined);
      await page.goto(served.url);
      const handle = await Promise.race([
        page.waitForFunction(
          () => (globalThis as { __benchResult?: unknown }).__benchResult,
          undefined,
          { timeout: Math.max(1_000, deadline - Date.now()), polling: 250 },
        ),
        crashed,
      ]);
      const result = (await handle.jsonValue()) as T | { error: string };
      if (result && typeof result === 'object' && 'error' in result) throw new Error(result.error);
      return { result: result as T, version: browser.version() };
    } finally {
      await browser.close();
    }
  } finally {
    served.close();
  }
}
