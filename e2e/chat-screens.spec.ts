import { expect, test } from '@playwright/test';
import { checkScreen } from './app-helpers.ts';
import {
  befriend,
  bubbles,
  composer,
  dismissOfflineNotice,
  expectConnected,
  onlineUser,
  send,
} from './chat-helpers.ts';

test('connected chat, presence, backup and restore screens: axe, light/dark, 375 px', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const alice = await onlineUser(browser, 'Alice');
  const bob = await onlineUser(browser, 'Bob');
  await befriend(alice, bob);
  await expectConnected(alice.page, 'direct');
  await dismissOfflineNotice(alice.page);

  // Bob sets a status message; Alice sees it with his presence.
  await bob.page.getByRole('button', { name: 'Settings' }).click();
  await bob.page.getByLabel('Status message').fill('At the café until 3');
  await bob.page.getByRole('button', { name: 'Save status' }).click();
  await expect(bob.page.getByText('Status saved.')).toBeVisible();
  await bob.page.getByLabel('Busy').check();
  await expect(alice.page.getByTestId('presence')).toHaveText(/busy · At the café until 3/);
  await bob.page.getByLabel('Online').check();
  await bob.page.getByRole('button', { name: 'Back', exact: true }).click();

  await send(alice.page, 'Hi Bob! **Peerline** works — straight from browser to browser.');
  await send(bob.page, 'It does. Here is `code` and a [link](https://example.org).');
  await alice.page
    .getByRole('button', { name: /^Reply to message/ })
    .last()
    .click();
  await send(alice.page, '> quoting you\n\nand a list:\n- one\n- two');
  await expect(bubbles(bob.page)).toHaveCount(3);
  await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
  await composer(bob.page).pressSequentially('typing', { delay: 20 });
  await expect(alice.page.getByTestId('typing')).toHaveText('Bob is typing…');
  await checkScreen(alice.page, 'chat-connected', () => expect(bubbles(alice.page)).toHaveCount(3));
  await composer(bob.page).fill('');

  await alice.page.getByRole('link', { name: 'Peerline' }).click();
  await send(bob.page, 'One more, unread');
  await checkScreen(alice.page, 'home-chats', () =>
    expect(alice.page.getByRole('list', { name: 'Contacts' }).locator('.badge')).toHaveText(
      '1 unread',
    ),
  );

  await alice.page.getByRole('button', { name: 'Settings' }).click();
  await checkScreen(alice.page, 'settings-connected', () =>
    expect(alice.page.getByRole('heading', { name: 'Back up your identity' })).toBeVisible(),
  );

  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  await page.goto('/');
  await dismissOfflineNotice(page);
  await page.getByText('I have a backup file').click();
  await page.getByRole('button', { name: 'Restore identity' }).click();
  await checkScreen(page, 'onboarding-restore', () =>
    expect(page.getByTestId('restore-status')).toHaveText('Choose the backup file.'),
  );
  await fresh.close();
  await alice.context.close();
  await bob.context.close();
});
