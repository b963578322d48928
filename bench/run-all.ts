// `npm run bench`: the protocol benchmark of issue 3 §5 in Node and in Chromium, one after the
// other (never both at once: the machine has 2 cores), then one table per environment and
// bench/results/protocol.json; then the app benchmark of issue 5 (bench/app-report.ts) and
// bench/results/app.json. Bounded: every stage has a deadline, and the whole run stops
// with exit code 2 if it is not done in OVERALL_MS.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAppBench } from './app-report.ts';
import { runInChromium } from './lib/browser.ts';
import { type EnvFigures, formatTable, TARGETS, verdicts } from './protocol-figures.ts';

// Protocol part ~20–35 s, app part (build, Lighthouse, connects) ~60–90 s.
const OVERALL_MS = 230_000;
const PROTOCOL_MS = 170_000;
const NODE_MS = 70_000;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

let nodeChild: ChildProcess | undefined;

const overall = setTimeout(() => {
  console.error(`bench: not done after ${OVERALL_MS / 1000} s, giving up`);
  // Playwright closes its browser on exit by itself; our own child we end here.
  nodeChild?.kill('SIGKILL');
  process.exit(2);
}, OVERALL_MS);
overall.unref();

/** A fresh `node --expose-gc` (gc() for the heap figure) running the suite and nothing else. */
function runNode(): Promise<EnvFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'peerline-bench-node-'));
  const out = join(dir, 'node.json');
  return new Promise<EnvFigures>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(here, 'protocol-node.ts'), out],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: NODE_MS },
    );
    nodeChild = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      nodeChild = undefined;
      if (code !== 0) {
        reject(new Error(`node bench exited with ${signal ?? code}`));
        return;
      }
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as EnvFigures);
      } catch (e) {
        reject(e);
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function main(): Promise<void> {
  const started = Date.now();
  const node = await runNode();
  const run = await runInChromium<EnvFigures>(join(here, 'protocol-browser.ts'), {
    timeoutMs: Math.max(10_000, PROTOCOL_MS - (Date.now() - started) - 5_000),
    onLog: (line) => console.error(line),
  });
  const chromium: EnvFigures = { ...run.result, runtime: `Chromium ${run.version}` };
  const all = [node, chromium];
  console.log('');
  console.log('Peerline protocol benchmark (issue 3 §5): medians; in-memory duplex, no latency');
  for (const f of all) {
    console.log('');
    console.log(formatTable(f));
  }
  const t = node.throughput;
  console.log('');
  console.log(
    `frames: ${t.payloadBytes} B payload (${t.plaintextBytes} B padded plaintext, 65 535 B frame), ` +
      `${t.framesPerRun} frames per repetition; MB = 10^6 B; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'protocol.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        targets: TARGETS,
        results: all.map((f) => ({ ...f, verdicts: verdicts(f) })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`figures written to bench/results/protocol.json`);
  const app = await runAppBench((line) => console.error(line));
  writeFileSync(
    join(resultsDir, 'app.json'),
    `${JSON.stringify({ date: new Date().toISOString(), ...app }, null, 2)}\n`,
  );
  console.log(
    `figures written to bench/results/app.json; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('bench failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
