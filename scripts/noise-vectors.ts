// Noise test-vector runner: `npm run -s vectors:noise -- <file> [--verbose]`.
// Prints one line per failed vector (with --verbose also per skipped one), then exactly
// "N passed, M failed, K skipped". Exit 0 if none failed, 1 if any failed, 2 if the file
// cannot be read or is not a vector file.

import { readFileSync } from 'node:fs';
import { runVectorFile, summaryLine } from '../src/crypto/noise/vector-runner.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const file = args.find((a) => a !== '--verbose');

function bail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (file === undefined) bail('usage: npm run -s vectors:noise -- <vectors.json> [--verbose]');

let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  const code = e instanceof Error && 'code' in e ? String(e.code) : 'read error';
  bail(`noise-vectors: cannot read ${file} (${code})`);
}

let data: unknown;
try {
  data = JSON.parse(text);
} catch (e) {
  bail(
    `noise-vectors: ${file} is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`,
  );
}

const summary = await runVectorFile(data);
if (summary === undefined) bail(`noise-vectors: ${file} has no "vectors" array`);

for (const r of summary.results) {
  if (r.status === 'failed' || (verbose && r.status === 'skipped')) {
    console.log(
      `${r.status === 'failed' ? 'FAIL' : 'skip'} #${r.index} ${r.name}: ${r.reason ?? ''}`,
    );
  }
}
console.log(summaryLine(summary));
process.exitCode = summary.failed > 0 ? 1 : 0;
