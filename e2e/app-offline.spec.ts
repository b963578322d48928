import { expect, test } from '@playwright/test';
import { addByLink, newUser, onboard } from './app-helpers.ts';

test('after a first visit the app opens offline from the service worker', async ({ browser }) => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const b = await onboard(bob.page, 'Bob');
  const a = await onboard(alice.page, 'Alice');
  await addByLink(alice.page, b.link, 'Bob');
  await alice.page.getByRole('textbox', { name: 'Message', exact: true }).fill('kept offline');
  await alice.page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  // The bubble appears once the message is stored (chat.ts queues it first): reload only then.
  await expect(alice.page.getByRole('list', { name: 'Messages' })).toContainText('kept offline');

  const page = alice.page;
  // Wait until the service worker has installed and precached the whole shell.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await alice.context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Peerline', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Bob', level: 2 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Messages' })).toContainText('kept offline');
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // Lazy screens come from the precache too.
  await page.getByRole('button', { name: 'Contact info' }).click();
  await page.getByRole('button', { name: 'Verify safety number' }).click();
  await expect(page.getByRole('img', { name: 'QR code of the safety number' })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('my-link')).toHaveText(a.link);
  await alice.context.close();
  await bob.context.close();
});
