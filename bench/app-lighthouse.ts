// Lighthouse 12 against the built app served by `vite preview`, in Debian's Chromium started by
// chrome-launcher. Lighthouse's default run: mobile emulation with simulated throttling, the
// setting its published scores use.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

export interface LighthouseFigures {
  /** 0–100 per category; NaN when Lighthouse could not score it. */
  readonly scores: Record<LighthouseCategory, number>;
  /** Audits below a full score, for the report (id: score). */
  readonly failing: readonly string[];
  readonly chromiumVersion: string;
}

const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
];

export async function runLighthouse(url: string): Promise<LighthouseFigures> {
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
      failing,
      chromiumVersion: lhr.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? 'unknown',
    };
  } finally {
    chrome.kill();
  }
}
