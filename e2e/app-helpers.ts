// Shared steps of the app-*.spec.ts end-to-end tests: onboarding, reading a user's own link,
// accessibility checks and screenshots.

import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';

export const SCREENSHOT_DIR = 'test-results/screenshots';
const LINK = /\/#([0-9a-f]{64})$/;

export function baseURL(): string {
  const url = test.info().project.use.baseURL;
  if (!url) throw new Error('playwright.config.ts sets no baseURL');
  return url;
}

export interface UserOptions {
  /**
   * 'worker': the suite's real signaling Worker (global setup); 'none' (default): a closed port,
   * so nothing connects (tests of the app shell stay independent of the network); or a URL.
   */
  readonly signaling?: 'worker' | 'none' | string;
  /** Force every connection through TURN (`iceTransportPolicy: 'relay'`). */
  readonly relayOnly?: boolean;
}

const CLOSED_PORT_URL = 'ws://127.0.0.1:9';

export function workerUrl(): string {
  const url = process.env.PEERLINE_E2E_SIGNALING;
  if (!url) throw new Error('global setup did not start the signaling Worker');
  return url;
}

/** The app's developer settings (src/app/net/config.ts), set before any page script runs. */
export async function configure(context: BrowserContext, opts: UserOptions = {}): Promise<void> {
  const signaling = opts.signaling ?? 'none';
  const url =
    signaling === 'worker' ? workerUrl() : signaling === 'none' ? CLOSED_PORT_URL : signaling;
  await context.addInitScript(
    ({ url, relay }) => {
      localStorage.setItem('peerline.dev.signalingUrl', url);
      if (relay) localStorage.setItem('peerline.test.relayOnly', '1');
      else localStorage.removeItem('peerline.test.relayOnly');
    },
    { url, relay: opts.relayOnly === true },
  );
}

/** A fresh, isolated browser profile: its own IndexedDB, service worker and storage. */
export async function newUser(
  browser: Browser,
  opts: UserOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL() });
  await configure(context, opts);
  const page = await context.newPage();
  return { context, page };
}

/** The user's link as shown on the home screen, and the key in it. */
export async function ownLink(page: Page): Promise<{ link: string; key: string }> {
  const code = page.getByTestId('my-link');
  await expect(code).toHaveText(LINK);
  const link = (await code.textContent()) ?? '';
  const key = LINK.exec(link)?.[1];
  if (!key) throw new Error(`no key in link ${link}`);
  return { link, key };
}

/** First start: pick a name; returns the new identity's link and key. */
export async function onboard(page: Page, name: string): Promise<{ link: string; key: string }> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create my identity' }).click();
  await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
  return ownLink(page);
}

/** Adds the contact behind `link` by opening it, as a person following a link would. */
export async function addByLink(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
  await page.getByLabel('Name for this contact').fill(name);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** No serious or critical axe violations; the message lists what was found. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/**
 * Checks one screen with axe in light and dark, at desktop and 375 px width, and keeps a
 * screenshot of each combination under test-results/screenshots/.
 */
export async function checkScreen(
  page: Page,
  name: string,
  ready: () => Promise<void>,
): Promise<void> {
  for (const [scheme, size, suffix] of [
    ['light', DESKTOP, 'light'],
    ['dark', DESKTOP, 'dark'],
    ['light', PHONE, '375-light'],
    ['dark', PHONE, '375-dark'],
  ] as const) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: scheme });
    await ready();
    await expectAccessible(page, `${name} (${suffix})`);
    await screenshot(page, `${name}-${suffix}`);
    // Nothing may scroll sideways on a phone.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} (${suffix}) horizontal overflow`).toBe(0);
  }
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Types `text` into the chat composer and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Message', exact: true });
  await field.fill(text);
  await field.press('Enter');
  await expect(field).toHaveValue('');
}
