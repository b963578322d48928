import { expect, test } from '@playwright/test';
import { addByLink, newUser, onboard, send } from './app-helpers.ts';

test.describe('chat without a connection (no signaling server reachable)', () => {
  test('typed messages are pending in the outbox and survive a reload', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;

    await send(page, 'first');
    await send(page, 'second');
    await send(page, 'third');
    const bubbles = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
    await expect(bubbles).toHaveCount(3);
    await expect(bubbles.nth(0)).toContainText('first');
    await expect(bubbles.nth(2)).toContainText('third');
    for (let i = 0; i < 3; i++) {
      await expect(bubbles.nth(i)).toHaveAttribute('data-state', 'pending');
      await expect(bubbles.nth(i)).toContainText('Waiting to be sent');
    }
    await expect(page.getByTestId('outbox-count')).toHaveText(/3 messages waiting in the outbox/);

    await page.reload();
    await expect(bubbles).toHaveCount(3);
    expect(await bubbles.locator('.md, .plain').allInnerTexts()).toEqual([
      'first',
      'second',
      'third',
    ]);
    await expect(page.getByTestId('outbox-count')).toHaveText(/3 messages waiting in the outbox/);

    // The chat list shows the last message as preview.
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByRole('list', { name: 'Contacts' })).toContainText('third');
    await alice.context.close();
    await bob.context.close();
  });

  test('markdown is rendered, raw HTML is not', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;
    await page.evaluate(() => {
      (window as unknown as { pwned: boolean }).pwned = false;
    });

    await send(
      page,
      '**bold** and `code` and [site](https://example.org) [x](javascript:alert(1))',
    );
    await send(page, '<img src=x onerror="window.pwned=true"><script>window.pwned=true</script>');
    const list = page.getByRole('list', { name: 'Messages' });
    await expect(list.locator('strong')).toHaveText('bold');
    await expect(list.locator('code')).toHaveText('code');
    const safe = list.getByRole('link', { name: 'site' });
    await expect(safe).toHaveAttribute('href', 'https://example.org');
    await expect(safe).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(list.locator('a', { hasText: 'x' })).not.toHaveAttribute('href', /.+/);
    await expect(list.locator('img, script')).toHaveCount(0);
    await expect(list.getByRole('listitem').nth(1)).toContainText('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { pwned: boolean }).pwned)).toBe(false);
    await alice.context.close();
    await bob.context.close();
  });

  test('a reply quotes the message it answers', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;
    await send(page, 'question?');
    await page.getByRole('button', { name: /^Reply to message/ }).click();
    await expect(page.getByText('Replying to:')).toBeVisible();
    await send(page, 'answer');
    const last = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').nth(1);
    await expect(last.locator('.quote')).toHaveText('question?');
    await expect(page.getByText('Replying to:')).toHaveCount(0);
    await page.reload();
    await expect(last.locator('.quote')).toHaveText('question?');
    await alice.context.close();
    await bob.context.close();
  });

  test('long chats load in pages of 50, older ones on request', async ({ browser }) => {
    test.setTimeout(90_000);
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;
    for (let i = 1; i <= 53; i++) await send(page, `m${i}`);
    await page.reload();
    const bubbles = page.locator('.message-list > li');
    await expect(bubbles).toHaveCount(50);
    await expect(bubbles.first()).toContainText('m4');
    await expect(bubbles.last()).toContainText('m53');
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await expect(bubbles).toHaveCount(53);
    const texts = await bubbles.locator('.md, .plain').allInnerTexts();
    expect(texts).toEqual(Array.from({ length: 53 }, (_, i) => `m${i + 1}`));
    await expect(page.getByRole('button', { name: 'Load older messages' })).toHaveCount(0);
    await alice.context.close();
    await bob.context.close();
  });
});
