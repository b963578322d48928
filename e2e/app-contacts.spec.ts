import { expect, test } from '@playwright/test';
import { addByLink, newUser, onboard } from './app-helpers.ts';

test.describe('contacts', () => {
  test("Bob opens Alice's link, checks the fingerprint and adds her", async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const a = await onboard(alice.page, 'Alice');
    const aliceFingerprint = await alice.page.locator('.my-link .fingerprint .mono').textContent();
    await onboard(bob.page, 'Bob');

    await bob.page.goto(a.link);
    await expect(bob.page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
    await expect(bob.page.getByTestId('confirm-fingerprint')).toHaveText(aliceFingerprint ?? '-');
    // The fragment is taken off the address bar, so a reload does not repeat the link.
    expect(new URL(bob.page.url()).hash).toBe('');
    await bob.page.getByLabel('Name for this contact').fill('Alice A.');
    await bob.page.getByRole('button', { name: 'Add contact' }).click();
    await expect(bob.page.getByRole('heading', { name: 'Alice A.', level: 2 })).toBeVisible();

    await bob.page.getByRole('link', { name: 'Peerline' }).click();
    const list = bob.page.getByRole('list', { name: 'Contacts' });
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list).toContainText('Alice A.');
    await bob.page.reload();
    await expect(bob.page.getByRole('list', { name: 'Contacts' })).toContainText('Alice A.');

    // Opening the same link again says she is already a contact instead of adding her twice.
    await bob.page.goto(a.link);
    await expect(bob.page.getByRole('heading', { name: 'Alice A.', level: 2 })).toBeVisible();
    await expect(bob.page.getByRole('button', { name: 'Open chat' })).toBeVisible();
    await alice.context.close();
    await bob.context.close();
  });

  test('a link opened before onboarding is confirmed right after it', async ({ browser }) => {
    const alice = await newUser(browser);
    const carol = await newUser(browser);
    const a = await onboard(alice.page, 'Alice');
    await carol.page.goto(a.link);
    await carol.page.getByLabel('Your name').fill('Carol');
    await carol.page.getByRole('button', { name: 'Create my identity' }).click();
    await expect(carol.page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
    await alice.context.close();
    await carol.context.close();
  });

  test('pasting a bare key works like a link', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const a = await onboard(alice.page, 'Alice');
    await onboard(bob.page, 'Bob');
    await bob.page.getByRole('button', { name: 'Add contact' }).click();
    await bob.page.getByLabel('Their Peerline link or key').fill(`  ${a.key.toUpperCase()}  `);
    await bob.page.getByRole('button', { name: 'Continue' }).click();
    await expect(bob.page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
    await expect(bob.page.locator('.key-full')).toHaveText(a.key);
    await alice.context.close();
    await bob.context.close();
  });

  test('invalid links and keys get a message per reason', async ({ page }) => {
    const me = await onboard(page, 'Alice');
    const cases: [string, RegExp][] = [
      ['/#abc123', /wrong length/],
      [`/#${'zz'.repeat(32)}`, /not a Peerline key/],
      [`/#${me.key}`, /your own link/],
      // y = 2^255 - 1 ≥ p: the right form, but not a canonical curve point.
      [`/#${'ff'.repeat(31)}7f`, /not a valid public key/],
    ];
    for (const [url, message] of cases) {
      await page.goto(url);
      await expect(page.getByRole('heading', { name: 'Add contact' })).toBeVisible();
      await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
      await expect(page.getByLabel('Their Peerline link or key')).toHaveAttribute(
        'aria-invalid',
        'true',
      );
    }
    await page.getByLabel('Their Peerline link or key').fill('');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByText('Paste a Peerline link or a 64-character key.')).toBeVisible();
  });

  test('both sides see the same safety number; verify, block, delete', async ({ browser }) => {
    const alice = await newUser(browser);
    const bob = await newUser(browser);
    const a = await onboard(alice.page, 'Alice');
    const b = await onboard(bob.page, 'Bob');
    await addByLink(alice.page, b.link, 'Bob');
    await addByLink(bob.page, a.link, 'Alice');

    const numbers: string[] = [];
    for (const [user, name] of [
      [alice, 'Bob'],
      [bob, 'Alice'],
    ] as const) {
      await user.page.getByRole('button', { name: 'Contact info' }).click();
      await user.page.getByRole('button', { name: 'Verify safety number' }).click();
      await expect(user.page.getByRole('heading', { name: `Verify ${name}` })).toBeVisible();
      const groups = user.page.getByTestId('safety-number').getByRole('listitem');
      await expect(groups).toHaveCount(12);
      const digits = (await groups.allTextContents()).join('');
      expect(digits).toMatch(/^\d{60}$/);
      numbers.push(digits);
      await expect(
        user.page.getByRole('img', { name: 'QR code of the safety number' }),
      ).toBeVisible();
    }
    expect(numbers[0]).toBe(numbers[1]);

    const page = alice.page;
    await page.getByRole('button', { name: 'Mark as verified' }).click();
    await expect(page.getByText('You marked this safety number as verified.')).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Bob', level: 2 })).toBeVisible();
    await expect(page.locator('.facts .tag.ok')).toHaveText('Verified');

    await page.getByRole('button', { name: 'Block' }).click();
    await expect(page.getByRole('button', { name: 'Unblock' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Unblock' })).toBeVisible();

    await page.getByRole('button', { name: 'Delete contact' }).click();
    await page.getByRole('button', { name: 'Delete contact and chat' }).click();
    await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await alice.context.close();
    await bob.context.close();
  });
});
