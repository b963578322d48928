// Memory of idle established sessions (issue 3 §5): establish N pairs, let them settle, force a
// full GC and compare with a GC'd baseline taken just before. The probe is environment-specific
// (Node: process.memoryUsage; Chromium: performance.memory with --enable-precise-memory-info).

import {
  closePair,
  type EstablishedPair,
  establish,
  type Identities,
} from './protocol-sessions.ts';

export interface HeapSample {
  /** Live JS heap bytes. */
  readonly heap: number;
  /** Memory outside the JS heap that the runtime attributes to JS objects, if it tells. */
  readonly external?: number;
}

export interface HeapProbe {
  readonly source: string;
  /** Full, synchronous GC(s), then a sample. */
  sample(): Promise<HeapSample>;
}

export interface HeapRound {
  readonly heapPerSession: number;
  readonly externalPerSession: number | undefined;
}

/** One round: `pairs` pairs = 2 × pairs sessions, all CONNECTED and idle while measured. */
export async function heapRound(
  ids: Identities,
  pairs: number,
  probe: HeapProbe,
): Promise<HeapRound> {
  const before = await probe.sample();
  const live: EstablishedPair[] = [];
  for (let i = 0; i < pairs; i++) {
    const p = await establish(ids);
    await p.settled;
    live.push(p);
  }
  const after = await probe.sample();
  // The sessions must stay reachable until after the sample.
  const sessions = live.length * 2;
  for (const p of live) {
    if (p.a.state.name !== 'connected' || p.b.state.name !== 'connected') {
      throw new Error('a session left CONNECTED while idle');
    }
  }
  await Promise.all(live.map(closePair));
  return {
    heapPerSession: (after.heap - before.heap) / sessions,
    externalPerSession:
      after.external === undefined || before.external === undefined
        ? undefined
        : (after.external - before.external) / sessions,
  };
}

/** A GC helper for both environments: gc() as exposed by --expose-gc, with a turn in between. */
export async function collect(gc: () => void): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise<void>((r) => setTimeout(r, 0));
  }
}
