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

interface Sampler {
  readonly baseline: number;
  /** Highest usedJSHeapSize seen (garbage included). */
  max: number;
  /** Highest usedJSHeapSize right after a gc(): memory the transfer really holds. */
  maxLive: number;
  ticks: number;
  readonly timer: ReturnType<typeof setInterval>;
}

let sampler: Sampler | undefined;

/**
 * Heap growth while a transfer runs, over a gc'd baseline: every 100 ms the raw figure (which
 * includes garbage not yet collected, so it depends on when V8 chooses to collect), and every
 * second the figure right after a forced gc() — what the transfer keeps alive.
 */
const heap = {
  start(): void {
    gc();
    const baseline = usedHeap();
    const s: Sampler = {
      baseline,
      max: baseline,
      maxLive: baseline,
      ticks: 0,
      timer: setInterval(() => {
        s.max = Math.max(s.max, usedHeap());
        if (++s.ticks % 10 === 0) {
          gc();
          s.maxLive = Math.max(s.maxLive, usedHeap());
        }
      }, 100),
    };
    sampler = s;
  },
  stop(): { baseline: number; peakGrowth: number; liveGrowth: number } {
    const s = sampler;
    if (!s) throw new Error('heap sampler not started');
    clearInterval(s.timer);
    s.max = Math.max(s.max, usedHeap());
    sampler = undefined;
    return {
      baseline: s.baseline,
      peakGrowth: s.max - s.baseline,
      liveGrowth: s.maxLive - s.baseline,
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
  async rawArm(total: number, mode: raw.RawMode = 'plain'): Promise<void> {
    const r = raw.rawReceive(total, mode);
    rawArrival = r.arrived;
    await r.listening;
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
