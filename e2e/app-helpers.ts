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

/** A fresh, isolated browser profile: its own IndexedDB, service worker and storage. */
export async function newUser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL() });
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
