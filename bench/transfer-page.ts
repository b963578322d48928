// Page entry of `npm run bench:transfer` (bundled by bench/lib/browser.ts serveBundle): puts
// the raw and Peerline halves and a heap sampler on globalThis.__transfer, which the driver
// (bench/transfer.ts) calls through page.evaluate in two browser contexts.

import * as peerline from './transfer-peerline.ts';
import * as raw from './transfer-raw.ts';

interface MemoryInfo {
  readonly usedJSHeapSize: number;
}

function usedHeap(): number {
  const memory = Reflect.get(performance, 'memory') as MemoryInfo | undefined;
  if (!memory) throw new Error('performance.memory missing (--enable-precise-memory-info)');
  return memory.usedJSHeapSize;
}

function gc(): void {
  const f: unknown = Reflect.get(globalThis, 'gc');
  if (typeof f === 'function') f();
}

let sampler: { baseline: number; max: number; timer: ReturnType<typeof setInterval> } | undefined;

/** Heap growth while a transfer runs: the peak of usedJSHeapSize over a gc'd baseline. */
const heap = {
  start(): void {
    gc();
    const baseline = usedHeap();
    const s = { baseline, max: baseline, timer: setInterval(() => sample(), 100) };
    const sample = () => {
      s.max = Math.max(s.max, usedHeap());
    };
    sampler = s;
  },
  stop(): { baseline: number; peakGrowth: number; afterGcGrowth: number } {
    const s = sampler;
    if (!s) throw new Error('heap sampler not started');
    clearInterval(s.timer);
    s.max = Math.max(s.max, usedHeap());
    gc();
    sampler = undefined;
    return {
      baseline: s.baseline,
      peakGrowth: s.max - s.baseline,
      afterGcGrowth: usedHeap() - s.baseline,
    };
  },
};

let rawArrival: Promise<number> | undefined;

Reflect.set(globalThis, '__transfer', {
  ...peerline,
  rawOffer: raw.rawOffer,
  rawAnswer: raw.rawAnswer,
  rawFinish: raw.rawFinish,
  rawSend: raw.rawSend,
  rawArm(total: number) {
    rawArrival = raw.rawReceive(total);
  },
  rawReceived(): Promise<number> {
    if (!rawArrival) throw new Error('not armed');
    return rawArrival;
  },
  rawClose: raw.rawClose,
  heapStart: heap.start,
  heapStop: heap.stop,
});
Reflect.set(globalThis, '__transferReady', true);
