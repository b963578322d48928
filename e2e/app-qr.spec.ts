import { expect, type Page, test } from '@playwright/test';
import { expectAccessible, newUser, onboard } from './app-helpers.ts';

/** The user's own link QR code, as a PNG: what a screenshot or photo of it would give. */
async function qrPng(page: Page): Promise<Buffer> {
  const qr = page.getByRole('img', { name: 'QR code of my link' });
  await expect(qr).toBeVisible();
  return qr.screenshot();
}

async function upload(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByLabel('Upload QR image').setInputFiles({ name, mimeType, buffer });
}

test.describe('adding a contact from a QR code picture', () => {
  test("Bob uploads a picture of Alice's QR code and sees her fingerprint", async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const a = await onboard(alice.page, 'Alice');
    const png = await qrPng(alice.page);
    const aliceFingerprint = await alice.page.locator('.my-link .fingerprint .mono').textContent();
    await onboard(bob.page, 'Bob');

    const page = bob.page;
    await page.getByRole('button', { name: 'Add contact' }).click();
    const field = page.getByLabel('Upload QR image');
    await expect(field).toHaveAttribute('type', 'file');
    await expect(field).toHaveAttribute('accept', 'image/*');
    await expectAccessible(page, 'add contact with QR upload');
    await upload(page, 'alice-qr.png', 'image/png', png);

    await expect(page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
    await expect(page.getByTestId('confirm-fingerprint')).toHaveText(aliceFingerprint ?? '-');
    await expect(page.locator('.key-full')).toHaveText(a.key);
    await page.getByLabel('Name for this contact').fill('Alice');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await expect(page.getByRole('heading', { name: 'Alice', level: 2 })).toBeVisible();
    await alice.context.close();
    await bob.context.close();
  });

  test('pictures without a usable code get a clear message', async ({ browser }) => {
    const { context, page } = await newUser(browser);
    await onboard(page, 'Bob');
    const ownQr = await qrPng(page);
    // A real picture with no QR code in it: the fingerprint line of the home screen.
    const noQr = await page.locator('.my-link .fingerprint').screenshot();
    await page.getByRole('button', { name: 'Add contact' }).click();
    const status = page.locator('#qr-upload-status');

    await upload(page, 'text.png', 'image/png', noQr);
    await expect(status).toHaveText(/^No QR code found in this image/);
    await expect(status).toHaveAttribute('role', 'alert');

    await upload(page, 'me.png', 'image/png', ownQr);
    await expect(status).toHaveText(/not a usable Peerline link\. This is your own link/);

    await upload(page, 'notes.txt', 'image/png', Buffer.from('not a picture at all'));
    await expect(status).toHaveText('This file could not be opened as a picture.');
    await expect(page.getByRole('heading', { name: 'Add contact' })).toBeVisible();
    await expectAccessible(page, 'add contact with a QR error');
    await context.close();
  });
});
