import { expect, test } from '@playwright/test';

test('the built app opens in Chromium and shows its title', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Peerline');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peerline');
});
