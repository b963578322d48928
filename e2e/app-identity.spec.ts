import { expect, test } from '@playwright/test';
import { baseURL, onboard, ownLink } from './app-helpers.ts';

test.describe('identity', () => {
  test('first start makes an identity whose link holds a 64-hex key', async ({ page }) => {
    const { link, key } = await onboard(page, 'Alice');
    expect(link).toBe(`${baseURL()}/#${key}`);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // The panel shows the fingerprint next to the link: 4 groups of 4 hex characters.
    await expect(page.locator('.my-link .fingerprint .mono')).toHaveText(
      /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/,
    );
    await expect(page.getByRole('img', { name: 'QR code of my link' })).toBeVisible();
    await expect(page.getByText('No contacts yet.')).toBeVisible();
  });

  test('a reload keeps the same identity and name (IndexedDB)', async ({ page }) => {
    const first = await onboard(page, 'Alice');
    await page.reload();
    expect((await ownLink(page)).key).toBe(first.key);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Your name')).toHaveValue('Alice');
    // A second browser profile gets a different key.
    const other = await page.context().browser()?.newContext({ baseURL: baseURL() });
    if (!other) throw new Error('no browser');
    const otherPage = await other.newPage();
    const second = await onboard(otherPage, 'Bob');
    expect(second.key).not.toBe(first.key);
    await other.close();
  });

  test('an empty or blank name is refused with a message', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Your name').fill('   ');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    await expect(page.getByText('Enter a name of 1 to 40 characters.')).toBeVisible();
    await expect(page.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('my-link')).toHaveCount(0);
  });

  test('the copy button puts the link on the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { link } = await onboard(page, 'Alice');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByText('Link copied.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  });

  test('the web app manifest and icons are served', async ({ request }) => {
    const manifest = (await (await request.get('/manifest.webmanifest')).json()) as {
      name: string;
      display: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest.name).toBe('Peerline');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((i) => `${i.sizes}/${i.purpose}`);
    expect(sizes).toEqual(['192x192/any', '512x512/any', '512x512/maskable', 'any/any']);
    for (const icon of manifest.icons) {
      const res = await request.get(icon.src);
      expect(res.status(), icon.src).toBe(200);
    }
  });
});
