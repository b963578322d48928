// Chromium entry of the protocol benchmark, bundled and loaded by bench/lib/browser.ts. The
// browser is launched with --js-flags=--expose-gc and --enable-precise-memory-info, so gc() and
// an unquantized performance.memory exist. Progress goes to console.info; the figures (or an
// error) go to globalThis.__benchResult.

import { collect, type HeapProbe } from './protocol-heap.ts';
import { runSuite } from './protocol-suite.ts';

interface MemoryInfo {
  readonly usedJSHeapSize: number;
}

function usedHeap(): number {
  const memory: unknown = Reflect.get(performance, 'memory');
  if (typeof memory !== 'object' || memory === null || !('usedJSHeapSize' in memory)) {
    throw new Error('performance.memory is missing (Chromium with --enable-precise-memory-info)');
  }
  return (memory as MemoryInfo).usedJSHeapSize;
}

async function main(): Promise<unknown> {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc !== 'function') throw new Error('gc() is missing (--js-flags=--expose-gc)');
  const probe: HeapProbe = {
    source: 'performance.memory.usedJSHeapSize after gc() (--enable-precise-memory-info)',
    async sample() {
      await collect(() => gc());
      return { heap: usedHeap() };
    },
  };
  // Without isolation performance.now() is clamped to 100 µs: too coarse for a handshake.
  if (!globalThis.crossOriginIsolated) throw new Error('page is not cross-origin isolated');
  return runSuite({
    env: 'chromium',
    runtime: 'Chromium',
    probe,
    log: (line) => console.info(line),
  });
}

main().then(
  (figures) => Reflect.set(globalThis, '__benchResult', figures),
  (e: unknown) =>
    Reflect.set(globalThis, '__benchResult', {
      error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e),
    }),
);
