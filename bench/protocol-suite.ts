// The whole protocol benchmark for one environment. Variants that are compared are interleaved
// (one of each per repetition) so that drift — JIT, GC, a busy second core — hits all alike,
// and ratios are taken per repetition before the median.

import { median } from './lib/stats.ts';
import { type EnvFigures, summarize } from './protocol-figures.ts';
import { type HeapProbe, heapRound } from './protocol-heap.ts';
import {
  bareNoiseXX,
  closePair,
  establish,
  makeDhRig,
  makeIdentities,
  threeDh,
  xxDhWork,
} from './protocol-sessions.ts';
import { allocCopyUs, BareAesRig, CipherStateRig, SessionRig } from './protocol-throughput.ts';

export interface SuiteConfig {
  readonly handshakeWarmup: number;
  readonly handshakeRuns: number;
  readonly throughputWarmup: number;
  readonly throughputReps: number;
  /** Frames per throughput repetition. */
  readonly frames: number;
  /** Pairs per heap round: 2 × heapPairs sessions. */
  readonly heapPairs: number;
  readonly heapRounds: number;
}

export const DEFAULT_CONFIG: SuiteConfig = {
  handshakeWarmup: 30,
  handshakeRuns: 400,
  throughputWarmup: 2,
  throughputReps: 21,
  frames: 128,
  heapPairs: 100,
  heapRounds: 5,
};

export interface SuiteEnv {
  readonly env: EnvFigures['env'];
  readonly runtime: string;
  readonly probe: HeapProbe;
  readonly log: (line: string) => void;
}

async function handshakes(cfg: SuiteConfig): Promise<EnvFigures['handshake']> {
  const ids = makeIdentities();
  const rig = await makeDhRig();
  const session: number[] = [];
  const noise: number[] = [];
  const dh: number[] = [];
  const dhWork: number[] = [];
  const jobs = [
    async (keep: boolean) => {
      const p = await establish(ids);
      await p.settled;
      await closePair(p);
      if (keep) session.push(p.ms);
    },
    async (keep: boolean) => {
      const ms = await bareNoiseXX(ids);
      if (keep) noise.push(ms);
    },
    async (keep: boolean) => {
      const ms = await threeDh(rig);
      if (keep) dh.push(ms);
    },
    async (keep: boolean) => {
      const ms = await xxDhWork(rig);
      if (keep) dhWork.push(ms);
    },
  ];
  const total = cfg.handshakeWarmup + cfg.handshakeRuns;
  for (let i = 0; i < total; i++) {
    // Rotate the order so no variant always runs right after another's GC debt.
    for (let j = 0; j < jobs.length; j++)
      await jobs[(i + j) % jobs.length]?.(i >= cfg.handshakeWarmup);
  }
  return {
    sessionMs: summarize(session),
    noiseMs: summarize(noise),
    x25519x3Ms: summarize(dh),
    xxDhWorkMs: summarize(dhWork),
  };
}

async function throughput(cfg: SuiteConfig): Promise<EnvFigures['throughput']> {
  const p = await establish(makeIdentities());
  await p.settled;
  try {
    const sessionRig = new SessionRig(p.a, p.b);
    const payloadBytes = sessionRig.chunk.length;
    // The padded plaintext of a full BINARY frame: 1 marker byte + 20-byte prefix + data.
    const plaintextBytes = payloadBytes + 21;
    const cs = new CipherStateRig(plaintextBytes);
    const bare = new BareAesRig(plaintextBytes);
    await bare.init();
    const r = {
      session: [] as number[],
      sessionStream: [] as number[],
      cipher: [] as number[],
      bare: [] as number[],
      bareStream: [] as number[],
      ratio: [] as number[],
      streamRatio: [] as number[],
      cipherRatio: [] as number[],
      copy: [] as number[],
    };
    for (let i = 0; i < cfg.throughputWarmup + cfg.throughputReps; i++) {
      const keep = i >= cfg.throughputWarmup;
      const s = await sessionRig.run(cfg.frames, 'sequential');
      const b = await bare.run(cfg.frames, plaintextBytes, 'sequential');
      const c = await cs.run(cfg.frames, plaintextBytes);
      const ss = await sessionRig.run(cfg.frames, 'stream');
      const bs = await bare.run(cfg.frames, plaintextBytes, 'stream');
      const cp = allocCopyUs(sessionRig.chunk, cfg.frames);
      if (!keep) continue;
      r.copy.push(cp);
      r.session.push(s);
      r.bare.push(b);
      r.cipher.push(c);
      r.sessionStream.push(ss);
      r.bareStream.push(bs);
      r.ratio.push(s / b);
      r.cipherRatio.push(c / b);
      r.streamRatio.push(ss / bs);
    }
    return {
      payloadBytes,
      plaintextBytes,
      framesPerRun: cfg.frames,
      sessionMBps: summarize(r.session),
      sessionStreamMBps: summarize(r.sessionStream),
      cipherStateMBps: summarize(r.cipher),
      bareMBps: summarize(r.bare),
      bareStreamMBps: summarize(r.bareStream),
      ratio: median(r.ratio),
      streamRatio: median(r.streamRatio),
      cipherStateRatio: median(r.cipherRatio),
      allocCopyUs: summarize(r.copy),
    };
  } finally {
    await closePair(p);
  }
}

async function heap(cfg: SuiteConfig, probe: HeapProbe): Promise<EnvFigures['heap']> {
  const ids = makeIdentities();
  // One unmeasured round first: caches and JIT code settle, so they do not count as sessions.
  await heapRound(ids, Math.min(20, cfg.heapPairs), probe);
  const heapPer: number[] = [];
  const extPer: number[] = [];
  for (let i = 0; i < cfg.heapRounds; i++) {
    const round = await heapRound(ids, cfg.heapPairs, probe);
    heapPer.push(round.heapPerSession);
    if (round.externalPerSession !== undefined) extPer.push(round.externalPerSession);
  }
  return {
    sessions: cfg.heapPairs * 2,
    bytesPerSession: summarize(heapPer),
    ...(extPer.length > 0 ? { externalPerSession: summarize(extPer) } : {}),
    source: probe.source,
  };
}

export async function runSuite(
  env: SuiteEnv,
  cfg: SuiteConfig = DEFAULT_CONFIG,
): Promise<EnvFigures> {
  const t0 = performance.now();
  env.log(`${env.env}: handshakes (${cfg.handshakeRuns} runs)…`);
  const hs = await handshakes(cfg);
  env.log(`${env.env}: throughput (${cfg.throughputReps} × ${cfg.frames} frames)…`);
  const tp = await throughput(cfg);
  env.log(`${env.env}: heap (${cfg.heapRounds} × ${cfg.heapPairs * 2} sessions)…`);
  const hp = await heap(cfg, env.probe);
  return {
    env: env.env,
    runtime: env.runtime,
    handshake: hs,
    throughput: tp,
    heap: hp,
    seconds: (performance.now() - t0) / 1000,
  };
}
