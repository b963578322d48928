import { expect, test } from '@playwright/test';
import { addByLink, newUser, onboard, send } from './app-helpers.ts';

test('deleting a chat empties it and its outbox but keeps the contact, across a reload', async ({
  browser,
}) => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const b = await onboard(bob.page, 'Bob');
  await onboard(alice.page, 'Alice');
  await addByLink(alice.page, b.link, 'Bob');
  const page = alice.page;

  for (const text of ['one', 'two']) await send(page, text);
  const bubbles = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
  await expect(bubbles).toHaveCount(2);

  await page.getByRole('button', { name: 'Contact info' }).click();
  await page.getByRole('button', { name: 'Delete chat' }).click();
  await page.getByRole('button', { name: 'Delete all messages' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'The chat is empty now.' }),
  ).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Bob', level: 2 })).toBeVisible();
  await page.goBack();
  await expect(bubbles).toHaveCount(0);
  await expect(page.getByTestId('outbox-count')).toHaveCount(0);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Bob' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'one' })).toHaveCount(0);
  await alice.context.close();
  await bob.context.close();
});
