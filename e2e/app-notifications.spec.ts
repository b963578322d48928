import { expect, test } from '@playwright/test';
import { addByLink } from './app-helpers.ts';
import {
  bubbles,
  expectConnected,
  notifications,
  notifiedUser,
  onlineUser,
  send,
  setHidden,
} from './chat-helpers.ts';

test('a message while the tab is hidden shows one notification; none while it is visible', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const alice = await onlineUser(browser, 'Alice');
  const bob = await notifiedUser(browser, 'Bob');
  // Bob keeps Alice under a name of his own: the title uses it, not the one she chose.
  await addByLink(alice.page, bob.link, 'Bob');
  await addByLink(bob.page, alice.link, 'Ali');
  await expectConnected(alice.page, 'direct');
  await expectConnected(bob.page, 'direct');
  expect(await bob.page.evaluate(() => Notification.permission)).toBe('granted');

  // Visible, chat open: the message shows and is read, and nothing pops up.
  await send(alice.page, 'first, while you look');
  await expect(bubbles(bob.page).last()).toContainText('first, while you look');
  await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
  expect(await notifications(bob.page)).toEqual([]);

  // Hidden (another tab in front): one notification with the flattened text, and the message
  // is delivered but not read, since nobody sees the chat.
  await setHidden(bob.page, true);
  await send(alice.page, 'Are you\nthere, **Bob**?');
  await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'delivered');
  expect(await notifications(bob.page)).toEqual([
    {
      title: 'Message from Ali',
      body: 'Are you there, **Bob**?',
      tag: `peerline-${alice.key}`,
      constructed: true,
    },
  ]);

  // Shown again: the chat is read at once, and further messages make no notification.
  await setHidden(bob.page, false);
  await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
  await send(alice.page, 'welcome back');
  await expect(bubbles(bob.page).last()).toContainText('welcome back');
  await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
  const shown = await notifications(bob.page);
  expect(shown.map((n) => n.title)).toEqual(['Message from Ali']);

  await alice.context.close();
  await bob.context.close();
});
