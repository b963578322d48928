import { expect, test } from '@playwright/test';
import { addByLink, newUser, onboard, ownLink } from './app-helpers.ts';

test.describe('settings', () => {
  test('rename and theme are stored across reloads', async ({ page }) => {
    await onboard(page, 'Alice');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Your name').fill('Alice Liddell');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved.')).toBeVisible();

    const html = page.locator('html');
    await expect(html).not.toHaveAttribute('data-theme', /.*/);
    await page.getByLabel('Dark').check();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(16, 21, 28)');

    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByLabel('Your name')).toHaveValue('Alice Liddell');
    await expect(page.getByLabel('Dark')).toBeChecked();
    await page.getByLabel('Same as the system').check();
    await expect(html).not.toHaveAttribute('data-theme', /.*/);
  });

  test('deleting the identity needs a confirmation and removes everything', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    const before = await onboard(alice.page, 'Alice');
    await addByLink(alice.page, b.link, 'Bob');
    const page = alice.page;

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete identity…' }).click();
    await expect(page.getByText('Your address will stop existing.')).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Your address will stop existing.')).toHaveCount(0);

    await page.getByRole('button', { name: 'Delete identity…' }).click();
    await page.getByRole('button', { name: 'Delete everything' }).click();
    await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();

    await page.getByLabel('Your name').fill('Alice 2');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    const after = await ownLink(page);
    expect(after.key).not.toBe(before.key);
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await alice.context.close();
    await bob.context.close();
  });
});
