// "Open contact → first encrypted message delivered" in the built app, on the real signaling
// Worker (wrangler dev), against a bare RTCPeerConnection in the same browser and run.
//
// The app connects to every online contact as soon as it starts (LinkManager wakes all links),
// so "both online, no session yet" exists only while Alice's app boots. One run: Alice reloads
// (pagehide closes her session), clicks Bob in her contact list as soon as it shows, and sends
// (in the page, as soon as the message field exists: bench/lib/connect-trace.ts); timed from
// that click, and from her navigation start, to Bob's page showing the bubble.
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { startDevServer } from '../signaling-worker/tools/dev-server.ts';
import { rawConnectOnce } from './app-raw-peer.ts';
import {
  type ConnectStages,
  STAGE_NAMES,
  stagesOf,
  TRACE_SCRIPT,
  type TraceEvent,
  typeAndSendScript,
} from './lib/connect-trace.ts';
import { median } from './lib/stats.ts';

export const CONNECT_MARGIN_MS = 20;
const STEP_MS = 30_000;

export interface ConnectFigures {
  readonly runs: number;
  /** Click on the contact → Bob's page shows the message. Median ms. */
  readonly appFromClickMs: number;
  /** Alice's navigation start (app boot included) → Bob's page shows the message. Median ms. */
  readonly appFromLoadMs: number;
  /** Bare RTCPeerConnection: offerer's new RTCPeerConnection → first message at answerer. */
  readonly rawMs: number;
  readonly appFromClickAll: readonly number[];
  readonly rawAll: readonly number[];
  /**
   * Whether Alice made the offers (her address is the lower one: PROTOCOL.md §2) or knocked
   * first. New identities each bench run, so this changes from run to run; it costs the knock's
   * round trip through the Worker.
   */
  readonly aliceOffers: boolean;
  /** Median ms from the click to each milestone of the app's path (bench/lib/connect-trace.ts). */
  readonly stages: Readonly<Record<keyof ConnectStages, number>> | undefined;
}

const LINK = /\/#([0-9a-f]{64})$/;

async function user(browser: Browser, base: string, signaling: string, name: string) {
  const context = await browser.newContext({ baseURL: base });
  await context.addInitScript((url) => {
    localStorage.setItem('peerline.dev.signalingUrl', url);
  }, signaling);
  await context.addInitScript({ content: TRACE_SCRIPT });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.goto('/');
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create my identity' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
  const code = page.getByTestId('my-link');
  await page.waitForFunction(
    (re) =>
      new RegExp(re).test(document.querySelector('[data-testid="my-link"]')?.textContent ?? ''),
    LINK.source,
  );
  const link = (await code.textContent()) ?? '';
  return { context, page, link };
}

async function addByLink(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Name for this contact').fill(name);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

/** Bob's page records when a bubble with `text` appears (set up before Alice acts). */
async function armArrival(page: Page, text: string): Promise<void> {
  await page.evaluate((text) => {
    const g = globalThis as { __arrived?: Promise<number> };
    g.__arrived = new Promise<number>((resolve) => {
      // No named inner functions: tsx would wrap them in a `__name` helper the page lacks.
      const obs = new MutationObserver(() => {
        for (const li of document.querySelectorAll('.message-list > li')) {
          if ((li.textContent ?? '').includes(text)) {
            obs.disconnect();
            resolve(performance.timeOrigin + performance.now());
            return;
          }
        }
      });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }, text);
}

async function appRunOnce(alice: Page, bob: Page, i: number) {
  const text = `bench message ${i} ${Date.now()}`;
  await armArrival(bob, text);
  await alice.goto('/');
  const contact = alice
    .getByRole('list', { name: 'Contacts' })
    .getByRole('button', { name: /Bob/ });
  await contact.waitFor();
  const clickAt = await alice.evaluate<number>(typeAndSendScript('Bob', text));
  const field = alice.getByRole('textbox', { name: 'Message', exact: true });
  await field.waitFor();
  const loadAt = await alice.evaluate(() => performance.timeOrigin);
  const arrived = await bob.evaluate(() => {
    const g = globalThis as { __arrived?: Promise<number> };
    return g.__arrived ?? Promise.reject(new Error('not armed'));
  });
  const trace = await alice.evaluate(
    () => (globalThis as { __trace?: TraceEvent[] }).__trace ?? [],
  );
  const offerer = trace.some((e) => e.t >= loadAt && e.ev.startsWith('pc:createOffer'));
  const stages = stagesOf(trace, loadAt, clickAt, arrived);
  return { fromClick: arrived - clickAt, fromLoad: arrived - loadAt, offerer, stages };
}

export async function runConnectBench(
  baseUrl: string,
  runs = 7,
  log: (line: string) => void = () => undefined,
): Promise<ConnectFigures> {
  const worker = await startDevServer({
    IP_CONNECT_BURST: '1000',
    IP_CONNECTS_PER_MINUTE: '1000',
    IP_MAX_CONCURRENT: '1000',
  });
  const browser = await chromium.launch({
    executablePath: process.env.PEERLINE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const contexts: BrowserContext[] = [];
  try {
    const signaling = worker.url.replace(/^http/, 'ws');
    const a = await user(browser, baseUrl, signaling, 'Alice');
    const b = await user(browser, baseUrl, signaling, 'Bob');
    contexts.push(a.context, b.context);
    await addByLink(a.page, b.link, 'Bob');
    await addByLink(b.page, a.link, 'Alice');
    // Bob stays in his chat with Alice for the whole run; Alice's reload ends each session.
    const fromClick: number[] = [];
    const fromLoad: number[] = [];
    const raw: number[] = [];
    const stages: ConnectStages[] = [];
    let aliceOffers = false;
    const r1 = await browser.newContext({ baseURL: baseUrl });
    const r2 = await browser.newContext({ baseURL: baseUrl });
    contexts.push(r1, r2);
    const p1 = await r1.newPage();
    const p2 = await r2.newPage();
    await Promise.all([p1.goto('/favicon.svg'), p2.goto('/favicon.svg')]);
    // One unmeasured round of each warms caches and the JIT; then they alternate.
    await appRunOnce(a.page, b.page, -1);
    await rawConnectOnce(p1, p2);
    for (let i = 0; i < runs; i++) {
      const app = await appRunOnce(a.page, b.page, i);
      fromClick.push(app.fromClick);
      fromLoad.push(app.fromLoad);
      if (app.stages) stages.push(app.stages);
      aliceOffers = app.offerer;
      raw.push(await rawConnectOnce(p1, p2));
      log(
        `connect run ${i + 1}/${runs}: app ${app.fromClick.toFixed(1)} ms from click, raw ${raw[i]?.toFixed(1)} ms`,
      );
    }
    const stageMedians =
      stages.length === 0
        ? undefined
        : (Object.fromEntries(
            STAGE_NAMES.map((k) => [k, median(stages.map((st) => st[k]))]),
          ) as Record<keyof ConnectStages, number>);
    if (stageMedians) {
      log(
        `connect stages, median ms from the click (${stages.length} runs, Alice ` +
          `${aliceOffers ? 'offers' : 'knocks'}): ` +
          STAGE_NAMES.map((k) => `${k} ${stageMedians[k].toFixed(1)}`).join(', '),
      );
    }
    return {
      runs,
      aliceOffers,
      stages: stageMedians,
      appFromClickMs: median(fromClick),
      appFromLoadMs: median(fromLoad),
      rawMs: median(raw),
      appFromClickAll: fromClick,
      rawAll: raw,
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser.close();
    await worker.stop();
  }
}
