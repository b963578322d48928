import { expect, test } from '@playwright/test';
import { DB_VERSION } from '../src/db/migrations.ts';
import { onboard } from './app-helpers.ts';

test('a tab that blocks a newer database version closes it and asks for a reload', async ({
  context,
  page,
}) => {
  await onboard(page, 'Alice');
  // A second tab of the same profile asks for the next version, as a newer Peerline would.
  const next = DB_VERSION + 1;
  const newer = await context.newPage();
  await newer.goto('/manifest.webmanifest');
  const opened = await newer.evaluate(
    (version) =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('peerline', version);
        req.onsuccess = () => {
          const v = req.result.version;
          req.result.close();
          resolve(v);
        };
        req.onerror = () => reject(new Error(String(req.error)));
      }),
    next,
  );
  // The open went through: the first tab closed its connection instead of blocking it.
  expect(opened).toBe(next);
  await expect(page.getByRole('alert')).toContainText('Peerline was updated in another tab.');
  await expect(page.getByRole('button', { name: 'Reload' })).toBeVisible();

  // This (older) build cannot open the newer database: it says so instead of failing blankly.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Peerline was updated' })).toBeVisible();
});
