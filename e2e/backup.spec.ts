import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { newUser, ownLink } from './app-helpers.ts';
import { befriend, bubbles, expectConnected, onlineUser, send } from './chat-helpers.ts';

test('export the identity with a passphrase, import it elsewhere, chat as the same key', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const alice = await onlineUser(browser, 'Alice');
  const bob = await onlineUser(browser, 'Bob');
  await befriend(alice, bob);
  await send(alice.page, 'from the first browser');
  await expect(bubbles(bob.page).last()).toContainText('from the first browser');

  const page = alice.page;
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill('short');
  await page.getByLabel('Passphrase again').fill('short');
  await page.getByRole('button', { name: 'Export backup file' }).click();
  await expect(page.getByTestId('backup-status')).toHaveText(/at least 8 characters/);
  await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Passphrase again').fill('correct horse battery!');
  await page.getByRole('button', { name: 'Export backup file' }).click();
  await expect(page.getByTestId('backup-status')).toHaveText('The two passphrases differ.');
  await page.getByLabel('Passphrase again').fill('correct horse battery');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export backup file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^peerline-identity-[0-9a-f]{16}\.plbk$/);
  const file = test.info().outputPath('alice.plbk');
  await download.saveAs(file);
  // PROTOCOL.md §10: 85 bytes, magic "PLBK", version 1.
  const bytes = readFileSync(file);
  expect(bytes.length).toBe(85);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('PLBK\u0001');
  await expect(page.getByTestId('backup-status')).toContainText('Keep it somewhere safe');
  // The first browser is gone (one device per identity at a time).
  await alice.context.close();

  const other = await newUser(browser, { signaling: 'worker' });
  const p2 = other.page;
  await p2.goto('/');
  await p2.getByText('I have a backup file').click();
  await p2.getByLabel('Backup file').setInputFiles(file);
  await p2.getByLabel('Passphrase').fill('wrong passphrase');
  await p2.getByLabel('Name to show').fill('Alice');
  await p2.getByRole('button', { name: 'Restore identity' }).click();
  await expect(p2.getByTestId('restore-status')).toHaveText(
    /Wrong passphrase, or the file is damaged/,
    { timeout: 30_000 },
  );
  await p2.getByLabel('Passphrase').fill('correct horse battery');
  await p2.getByRole('button', { name: 'Restore identity' }).click();
  await expect(p2.getByRole('heading', { name: 'Chats' })).toBeVisible({ timeout: 30_000 });
  expect((await ownLink(p2)).key).toBe(alice.key);

  // Contacts are not in the backup: add Bob again; Bob's existing chat continues.
  await p2.goto(bob.link);
  await p2.getByLabel('Name for this contact').fill('Bob');
  await p2.getByRole('button', { name: 'Add contact' }).click();
  await expectConnected(p2, 'direct');
  await send(p2, 'from the restored browser');
  await expect(bubbles(bob.page).last()).toContainText('from the restored browser');
  await expect(bob.page.getByRole('heading', { name: 'Alice', level: 2 })).toBeVisible();
  await expect(bubbles(bob.page)).toHaveCount(2);
  await other.context.close();
  await bob.context.close();
});
