// Node entry of the protocol benchmark. run-all.ts spawns it as
//   node --expose-gc --import tsx bench/protocol-node.ts <out.json>
// so that gc() exists and the figures come from a process that runs nothing else.

import { writeFileSync } from 'node:fs';
import { collect, type HeapProbe } from './protocol-heap.ts';
import { runSuite } from './protocol-suite.ts';

const out = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;
if (out === undefined || gc === undefined) {
  console.error('usage: node --expose-gc --import tsx bench/protocol-node.ts <out.json>');
  process.exit(2);
}

const probe: HeapProbe = {
  source: 'process.memoryUsage().heapUsed after gc() (--expose-gc)',
  async sample() {
    await collect(gc);
    const m = process.memoryUsage();
    return { heap: m.heapUsed, external: m.external + m.arrayBuffers };
  },
};

const figures = await runSuite({
  env: 'node',
  runtime: `Node ${process.versions.node}`,
  probe,
  log: (line) => console.error(line),
});
writeFileSync(out, JSON.stringify(figures));
