import { expect, test } from '@playwright/test';
import { addByLink, checkScreen, newUser, onboard, send } from './app-helpers.ts';

/** More than one page (50) of history, so the oldest match is not loaded when the chat opens. */
const FILLERS = 52;

test.describe('search in a chat (no connection: messages stay pending)', () => {
  test('finds matches newest first, across pages, and jumps to one', async ({ browser }) => {
    test.setTimeout(120_000);
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;

    await send(page, 'The Needle in the old haystack');
    for (let i = 1; i <= FILLERS; i++) await send(page, `filler ${i}`);
    await send(page, 'another needle here');
    // Full-width letters: found through NFKC folding.
    await send(page, 'ＮＥＥＤＬＥ in full width');
    await page.reload();
    const bubbles = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
    await expect(bubbles).toHaveCount(50);
    await expect(page.getByRole('list', { name: 'Messages' })).not.toContainText('haystack');

    const toggle = page.getByRole('button', { name: 'Search', exact: true });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const field = page.getByRole('searchbox', { name: 'Search in this chat' });
    await expect(field).toBeFocused();
    await field.fill('NEEDLE');
    await field.press('Enter');

    const status = page.locator('.search-status');
    await expect(status).toHaveText('3 messages found.');
    const results = page.getByRole('list', { name: 'Search results' }).getByRole('button');
    await expect(results).toHaveCount(3);
    expect(await results.locator('.search-text').allInnerTexts()).toEqual([
      'ＮＥＥＤＬＥ in full width',
      'another needle here',
      'The Needle in the old haystack',
    ]);
    await expect(results.nth(1).locator('mark')).toHaveText('needle');
    await expect(results.nth(2).locator('mark')).toHaveText('Needle');
    await expect(results.nth(0).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
    await checkScreen(page, 'chat-search', async () => {
      await expect(results).toHaveCount(3);
    });

    // The oldest match is beyond the loaded page: jumping loads older history and marks it.
    await results.nth(2).click();
    await expect(bubbles).toHaveCount(FILLERS + 3);
    const target = page.locator('.bubble.highlight');
    await expect(target).toHaveCount(1);
    await expect(target).toContainText('The Needle in the old haystack');
    await expect(target).toBeFocused();
    await expect(target).toBeInViewport();

    // Keyboard: a newer match, then Escape closes search and returns focus to its button.
    await results.nth(1).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.bubble.highlight')).toContainText('another needle here');
    await field.fill('zebra');
    await field.press('Enter');
    await expect(status).toHaveText('No messages contain “zebra”.');
    await expect(page.getByRole('list', { name: 'Search results' })).toHaveCount(0);
    await field.press('Escape');
    await expect(field).toHaveCount(0);
    await expect(toggle).toBeFocused();
    await expect(page.locator('.bubble.highlight')).toHaveCount(0);
    await alice.context.close();
    await bob.context.close();
  });
});
