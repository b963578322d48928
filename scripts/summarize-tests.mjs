// Adds up the counts of every test runner of `npm test` into the final "N passed, M failed" line.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const stepStatus = Number(process.argv[2] ?? '0');

// Vitest runs: Node unit tests, and the Worker tests against a real `wrangler dev`.
for (const file of ['reports/unit.json', 'reports/worker.json']) {
  if (!existsSync(file)) {
    failed += 1;
    continue;
  }
  const u = JSON.parse(readFileSync(file, 'utf8'));
  passed += u.numPassedTests ?? 0;
  failed += u.numFailedTests ?? 0;
  skipped += (u.numPendingTests ?? 0) + (u.numTodoTests ?? 0);
}

const vectorsFile = 'reports/vectors.txt';
const vectorLine = existsSync(vectorsFile)
  ? readFileSync(vectorsFile, 'utf8').trim().split('\n').at(-1)
  : undefined;
const m = vectorLine?.match(/^(\d+) passed, (\d+) failed, (\d+) skipped$/);
if (m) {
  passed += Number(m[1]);
  failed += Number(m[2]);
  skipped += Number(m[3]);
} else failed += 1;

const e2eFile = 'test-results/e2e.json';
if (existsSync(e2eFile)) {
  const s = JSON.parse(readFileSync(e2eFile, 'utf8')).stats ?? {};
  passed += s.expected ?? 0;
  failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
  skipped += s.skipped ?? 0;
} else failed += 1;

// A step that failed without failing a test (lint, typecheck, a crashed runner) still fails the run.
if (stepStatus !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
