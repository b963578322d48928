// Steps shared by the chat-*.spec.ts tests: users on the real signaling Worker, befriending,
// sending, and reading the chat header's connection state.

import {
  type Browser,
  type BrowserContext,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import {
  addByLink,
  baseURL,
  configure,
  newUser,
  onboard,
  type UserOptions,
} from './app-helpers.ts';

export interface User {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly name: string;
  readonly link: string;
  readonly key: string;
}

/** A new profile on the suite's Worker, onboarded under `name`. */
export async function onlineUser(
  browser: Browser,
  name: string,
  opts: Omit<UserOptions, 'signaling'> & { signaling?: string } = {},
): Promise<User> {
  const { context, page } = await newUser(browser, { signaling: 'worker', ...opts });
  const { link, key } = await onboard(page, name);
  return { context, page, name, link, key };
}

/** Each opens the other's link; both end up in their chat with the other. */
export async function befriend(a: User, b: User): Promise<void> {
  await addByLink(a.page, b.link, b.name);
  await addByLink(b.page, a.link, a.name);
}

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export { send } from './app-helpers.ts';

export function bubbles(page: Page): Locator {
  return page.locator('.message-list > li');
}

/** The text of every bubble in the open chat, oldest first. */
export async function texts(page: Page): Promise<string[]> {
  // Trimmed: marked ends a paragraph with a newline, which innerText keeps while laying out.
  return (await bubbles(page).locator('.md, .plain').allInnerTexts()).map((t) => t.trim());
}

export function connection(page: Page): Locator {
  return page.getByTestId('connection-status');
}

/** The chat header says connected, over the given route. */
export async function expectConnected(
  page: Page,
  route: 'direct' | 'relayed',
  timeout = 30_000,
): Promise<void> {
  await expect(connection(page)).toHaveAttribute('data-state', 'connected', { timeout });
  await expect(connection(page)).toHaveAttribute('data-route', route, { timeout });
}

/** Back from the chat to the chat list. */
export async function goHome(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
}

export async function openChatWith(page: Page, name: string): Promise<void> {
  await page
    .getByRole('list', { name: 'Contacts' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** Closes the one-time "opens without a network" notice, so screenshots show the screen. */
export async function dismissOfflineNotice(page: Page): Promise<void> {
  const notice = page.getByText('Peerline now also opens without a network.');
  await notice.waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'OK', exact: true }).click();
  await expect(notice).toHaveCount(0);
}

// --- Notifications and page visibility (app-notifications.spec.ts, app-recovery.spec.ts) ---

/** One `new Notification(title, options)` the page made, as the wrapped constructor saw it. */
export interface ShownNotification {
  readonly title: string;
  readonly body: string | undefined;
  readonly tag: string | undefined;
  /** The real constructor returned (false: it threw, and the app caught it). */
  readonly constructed: boolean;
}

declare global {
  var __peerlineNotifications: ShownNotification[] | undefined;
  var __peerlineHidden: boolean | undefined;
}

/**
 * Runs in every page of `context` before the app: `window.Notification` becomes a subclass that
 * records each construction and still calls the real constructor, and `document.visibilityState`
 * / `document.hidden` read a switch that `setHidden` flips (headless Chromium never hides a page
 * by itself). The originals stay on Document.prototype; these are own properties of `document`.
 */
export async function instrumentPage(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    globalThis.__peerlineNotifications = [];
    globalThis.__peerlineHidden = false;
    const Real = globalThis.Notification;
    if (Real) {
      globalThis.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          const entry = { title, body: options?.body, tag: options?.tag, constructed: false };
          globalThis.__peerlineNotifications?.push(entry);
          super(title, options);
          entry.constructed = true;
        }
      };
    }
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (globalThis.__peerlineHidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => globalThis.__peerlineHidden === true,
    });
  });
}

/** A user like `onlineUser`, with notifications granted and the page instrumented. */
export async function notifiedUser(browser: Browser, name: string): Promise<User> {
  const context = await browser.newContext({ baseURL: baseURL(), permissions: ['notifications'] });
  await configure(context, { signaling: 'worker' });
  await instrumentPage(context);
  const page = await context.newPage();
  const { link, key } = await onboard(page, name);
  return { context, page, name, link, key };
}

/** The tab is hidden or shown again, as a switch to another tab or window would do it. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    globalThis.__peerlineHidden = h;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Every notification the page has made since it loaded, oldest first. */
export async function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() => globalThis.__peerlineNotifications ?? []);
}
