import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, test } from '@playwright/test';
import { baseURL, configure, onboard } from './app-helpers.ts';
import {
  befriend,
  bubbles,
  connection,
  expectConnected,
  onlineUser,
  openChatWith,
  send,
  texts,
  type User,
} from './chat-helpers.ts';

/** Bob's browser profile lives in a directory: closing it and starting it again is Bob coming back. */
async function bobsBrowser(dir: string): Promise<BrowserContext> {
  const launch = test.info().project.use.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(dir, { ...launch, baseURL: baseURL() });
  await configure(context, { signaling: 'worker' });
  return context;
}

test('Bob goes away, Alice sends 3 messages, Bob returns: all 3 arrive once, in order', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'peerline-e2e-bob-'));
  try {
    const alice = await onlineUser(browser, 'Alice');
    let context = await bobsBrowser(dir);
    let page = context.pages()[0] ?? (await context.newPage());
    const b = await onboard(page, 'Bob');
    const bob: User = { context, page, name: 'Bob', ...b };
    await befriend(alice, bob);
    await expectConnected(alice.page, 'direct');
    await send(alice.page, 'before you go');
    await expect(bubbles(page).last()).toContainText('before you go');

    await context.close();
    // Alice's side notices: the session is gone (Bob's channel closed with his browser).
    await expect(connection(alice.page)).not.toHaveAttribute('data-state', 'connected', {
      timeout: 30_000,
    });
    for (const t of ['one', 'two', 'three']) await send(alice.page, t);
    const last3 = bubbles(alice.page);
    for (let i = 1; i <= 3; i++)
      await expect(last3.nth(i)).toHaveAttribute('data-state', 'pending');
    await expect(alice.page.getByTestId('outbox-count')).toHaveText(
      /3 messages waiting in the outbox/,
    );

    context = await bobsBrowser(dir);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    const row = page.getByRole('list', { name: 'Contacts' });
    await expect(row.locator('.badge')).toHaveText('3 unread', { timeout: 30_000 });
    await expect(row).toContainText('three');
    await openChatWith(page, 'Alice');
    expect(await texts(page)).toEqual(['before you go', 'one', 'two', 'three']);
    for (let i = 1; i <= 3; i++) {
      await expect(last3.nth(i)).toHaveAttribute('data-state', 'read');
    }
    await expect(alice.page.getByTestId('outbox-count')).toHaveCount(0);
    // Nothing arrives twice, even after a reload (what is stored is what was shown).
    await page.reload();
    await expect(bubbles(page)).toHaveCount(4);
    expect(await texts(page)).toEqual(['before you go', 'one', 'two', 'three']);
    await context.close();
    await alice.context.close();
  } finally {
    // Chromium may still be writing into the profile for a moment after close.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
