import { expect, test } from '@playwright/test';
import {
  befriend,
  bubbles,
  composer,
  connection,
  expectConnected,
  goHome,
  onlineUser,
  openChatWith,
  send,
  texts,
} from './chat-helpers.ts';

test.describe('live chat between two browsers (real Worker, WebRTC)', () => {
  test('links exchanged, markdown both ways, receipts and typing; a reload keeps everything', async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const alice = await onlineUser(browser, 'Alice');
    const bob = await onlineUser(browser, 'Bob');
    await befriend(alice, bob);
    await expectConnected(alice.page, 'direct');
    await expectConnected(bob.page, 'direct');
    await expect(connection(alice.page)).toContainText('encrypted end to end');

    // Bob is on his chat list: Alice's message is delivered, unread, not yet read.
    await goHome(bob.page);
    await send(alice.page, 'Hello **Bob**, this is `Peerline`');
    const fromAlice = bubbles(alice.page).last();
    await expect(fromAlice).toHaveAttribute('data-state', 'delivered');
    await expect(fromAlice).toContainText('Delivered');
    const bobRow = bob.page.getByRole('list', { name: 'Contacts' });
    await expect(bobRow).toContainText('Hello **Bob**, this is `Peerline`');
    await expect(bobRow.locator('.badge')).toHaveText('1 unread');

    // Bob opens the chat: rendered markdown, and Alice sees "Read".
    await openChatWith(bob.page, 'Alice');
    const bobList = bob.page.getByRole('list', { name: 'Messages' });
    await expect(bobList.locator('strong')).toHaveText('Bob');
    await expect(bobList.locator('code')).toHaveText('Peerline');
    await expect(bubbles(bob.page).last()).toHaveClass(/\bin\b/);
    await expect(fromAlice).toHaveAttribute('data-state', 'read');
    await expect(fromAlice).toContainText('Read');
    await expect(bobRow).toHaveCount(0); // Bob is in the chat now
    await expect(bob.page.getByTestId('presence')).toHaveAttribute('data-status', 'online');

    // Typing shows on the other side, and stops when the message is sent.
    await composer(bob.page).pressSequentially('Hi *Alice*', { delay: 20 });
    await expect(alice.page.getByTestId('typing')).toHaveText('Bob is typing…');
    await composer(bob.page).press('Enter');
    await expect(alice.page.getByTestId('typing')).toHaveText('');
    const aliceList = alice.page.getByRole('list', { name: 'Messages' });
    await expect(aliceList.locator('em')).toHaveText('Alice');
    await expect(bubbles(bob.page).last()).toHaveAttribute('data-state', 'read');

    // A reply quotes the message it answers, on both sides.
    await alice.page
      .getByRole('button', { name: /^Reply to message/ })
      .last()
      .click();
    await send(alice.page, 'replying');
    await expect(bubbles(bob.page).last().locator('.quote')).toHaveText('Hi *Alice*');
    expect(await texts(bob.page)).toEqual(['Hello Bob, this is Peerline', 'Hi Alice', 'replying']);

    // Bob reloads: history and contact are intact, the session comes back, chat continues.
    await bob.page.reload();
    await expect(bob.page.getByRole('heading', { name: 'Alice', level: 2 })).toBeVisible();
    await expect(bubbles(bob.page)).toHaveCount(3);
    await expectConnected(bob.page, 'direct');
    await expectConnected(alice.page, 'direct');
    await send(alice.page, 'after your reload');
    await expect(bubbles(bob.page).last()).toContainText('after your reload');
    await send(bob.page, 'still here');
    await expect(bubbles(alice.page).last()).toContainText('still here');
    await expect(bubbles(bob.page).last()).toHaveAttribute('data-state', 'read');
    expect(await texts(alice.page)).toEqual([
      'Hello Bob, this is Peerline',
      'Hi Alice',
      'replying',
      'after your reload',
      'still here',
    ]);
    expect(await texts(bob.page)).toEqual(await texts(alice.page));
    await alice.context.close();
    await bob.context.close();
  });
});
