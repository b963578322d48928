// Lighthouse 12 against the built app served by `vite preview`, in Debian's Chromium started by
// chrome-launcher. Lighthouse's default run: mobile emulation with simulated throttling, the
// setting its published scores use. One run swings by a few points with the machine's load, so
// the figures are medians over several runs, each in a fresh Chromium (cold cache, no SW).
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { median } from './lib/stats.ts';

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

/** The performance metrics Lighthouse 12 scores, in ms (CLS unitless). */
export const LIGHTHOUSE_METRICS = {
  fcpMs: 'first-contentful-paint',
  lcpMs: 'largest-contentful-paint',
  tbtMs: 'total-blocking-time',
  siMs: 'speed-index',
  cls: 'cumulative-layout-shift',
} as const;
export type LighthouseMetric = keyof typeof LIGHTHOUSE_METRICS;

export interface LighthouseRun {
  /** 0–100 per category; NaN when Lighthouse could not score it. */
  readonly scores: Record<LighthouseCategory, number>;
  readonly metrics: Record<LighthouseMetric, number>;
  /** Audits below a full score, for the report (id: score). */
  readonly failing: readonly string[];
  readonly chromiumVersion: string;
  /** The whole Lighthouse result, for digging into single audits. */
  readonly lhr: unknown;
}

export interface LighthouseFigures {
  /** Medians over `runs`; 0–100 per category, NaN when Lighthouse could not score it. */
  readonly scores: Record<LighthouseCategory, number>;
  readonly metrics: Record<LighthouseMetric, number>;
  /** Audits below a full score in the run whose performance score is the median. */
  readonly failing: readonly string[];
  readonly chromiumVersion: string;
  readonly runs: number;
  /** Performance score of every run, in run order, so the spread is visible. */
  readonly performanceRuns: readonly number[];
}

export const LIGHTHOUSE_RUNS = 3;

const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
];

export async function runLighthouseOnce(url: string): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.PEERLINE_CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: CHROME_FLAGS,
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...LIGHTHOUSE_CATEGORIES],
    });
    if (!result) throw new Error('lighthouse returned no result');
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.message}`);
    const score = (c: LighthouseCategory): number => {
      const s = lhr.categories[c]?.score;
      return typeof s === 'number' ? Math.round(s * 100) : Number.NaN;
    };
    const metric = (m: LighthouseMetric): number => {
      const v = lhr.audits[LIGHTHOUSE_METRICS[m]]?.numericValue;
      return typeof v === 'number' ? v : Number.NaN;
    };
    const failing: string[] = [];
    for (const c of LIGHTHOUSE_CATEGORIES) {
      for (const ref of lhr.categories[c]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        // Weight 0 audits do not move the score; only list what costs points.
        if (ref.weight > 0 && audit && typeof audit.score === 'number' && audit.score < 1) {
          failing.push(`${c}/${ref.id}: ${audit.score.toFixed(2)} (${audit.displayValue ?? ''})`);
        }
      }
    }
    return {
      scores: {
        performance: score('performance'),
        accessibility: score('accessibility'),
        'best-practices': score('best-practices'),
      },
      metrics: {
        fcpMs: metric('fcpMs'),
        lcpMs: metric('lcpMs'),
        tbtMs: metric('tbtMs'),
        siMs: metric('siMs'),
        cls: metric('cls'),
      },
      failing,
      chromiumVersion: lhr.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? 'unknown',
      lhr,
    };
  } finally {
    chrome.kill();
  }
}

/** `runs` sequential Lighthouse runs (never in parallel: they would throttle each other). */
export async function runLighthouse(
  url: string,
  runs: number = LIGHTHOUSE_RUNS,
): Promise<LighthouseFigures> {
  const all: LighthouseRun[] = [];
  for (let i = 0; i < runs; i++) all.push(await runLighthouseOnce(url));
  const first = all[0];
  if (!first) throw new Error('runLighthouse needs at least one run');
  const med = <K extends string>(pick: (r: LighthouseRun) => Record<K, number>, k: K): number =>
    median(all.map((r) => pick(r)[k]));
  const scores = {} as Record<LighthouseCategory, number>;
  for (const c of LIGHTHOUSE_CATEGORIES) scores[c] = med((r) => r.scores, c);
  const metrics = {} as Record<LighthouseMetric, number>;
  for (const m of Object.keys(LIGHTHOUSE_METRICS) as LighthouseMetric[]) {
    metrics[m] = med((r) => r.metrics, m);
  }
  const byPerf = [...all].sort((a, b) => a.scores.performance - b.scores.performance);
  const mid = byPerf[byPerf.length >> 1] ?? first;
  return {
    scores,
    metrics,
    failing: mid.failing,
    chromiumVersion: first.chromiumVersion,
    runs: all.length,
    performanceRuns: all.map((r) => r.scores.performance),
  };
}
