import { expect, test } from '@playwright/test';
import { checkScreen, newUser, onboard } from './app-helpers.ts';

test('every screen passes axe (no serious/critical) in light and dark, at 375 px', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const page = alice.page;
  const b = await onboard(bob.page, 'Bob');

  await page.goto('/');
  await checkScreen(page, 'onboarding', async () => {
    await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  });

  await page.getByLabel('Your name').fill('Alice');
  await page.getByRole('button', { name: 'Create my identity' }).click();
  const qr = page.getByRole('img', { name: 'QR code of my link' });
  await checkScreen(page, 'home-empty', () => expect(qr).toBeVisible());

  await page.goto(b.link);
  await checkScreen(page, 'confirm', () =>
    expect(page.getByRole('heading', { name: 'Add this person?' })).toBeVisible(),
  );
  await page.getByLabel('Name for this contact').fill('Bob');
  await page.getByRole('button', { name: 'Add contact' }).click();
  const field = page.getByRole('textbox', { name: 'Message', exact: true });
  for (const text of [
    'Hi Bob! **Peerline** works.',
    'Here is `code` and a [link](https://example.org).',
  ]) {
    await field.fill(text);
    await field.press('Enter');
    await expect(field).toHaveValue('');
  }
  await page
    .getByRole('button', { name: /^Reply to message/ })
    .first()
    .click();
  await field.fill('> quoting\n\nand a list:\n- one\n- two');
  await field.press('Enter');
  await expect(field).toHaveValue('');
  await checkScreen(page, 'chat', () => expect(page.locator('.message-list > li')).toHaveCount(3));

  await page.getByRole('button', { name: 'Contact info' }).click();
  await checkScreen(page, 'contact', () =>
    expect(page.getByRole('button', { name: 'Open chat' })).toBeVisible(),
  );
  await page.getByRole('button', { name: 'Verify safety number' }).click();
  await checkScreen(page, 'safety-number', () =>
    expect(page.getByRole('img', { name: 'QR code of the safety number' })).toBeVisible(),
  );
  await page.getByRole('button', { name: 'Mark as verified' }).click();

  await page.getByRole('link', { name: 'Peerline' }).click();
  await checkScreen(page, 'home', () =>
    expect(page.getByRole('list', { name: 'Contacts' })).toContainText('Verified'),
  );

  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByLabel('Their Peerline link or key').fill('https://example.org/#12345');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkScreen(page, 'add-contact-invalid', () =>
    expect(page.getByText(/wrong length/)).toBeVisible(),
  );

  await page.getByRole('button', { name: 'Settings' }).click();
  await checkScreen(page, 'settings', () =>
    expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible(),
  );
  await page.getByRole('button', { name: 'Delete identity…' }).click();
  await checkScreen(page, 'settings-delete', () =>
    expect(page.getByText('Your address will stop existing.')).toBeVisible(),
  );
  await alice.context.close();
  await bob.context.close();
});

test('the app can be used with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  // Tab order: skip link, brand link, then the name field.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type('Keya');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('my-link')).toBeVisible();
  // Focus is visible: the focused control gets an outline.
  await page.getByRole('button', { name: 'Add contact' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Add contact' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Back' })).toBeFocused();
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    return el ? getComputedStyle(el).outlineStyle : 'none';
  });
  expect(outline).toBe('solid');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
});
