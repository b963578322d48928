// File transfer end to end: pause, resume and cancel from either side, decline, the storage
// check before accepting, the maximum file size setting, and deleting a finished file (issue 6).

import { expect, test } from '@playwright/test';
import { bubbles, goHome, openChatWith, send } from './chat-helpers.ts';
import {
  deliver,
  fileBubble,
  MiB,
  makeFile,
  pair,
  percent,
  pictureFile,
  removeTestFiles,
  sendFile,
  status,
  storedSha256,
  storedSize,
} from './files-helpers.ts';

test.afterAll(removeTestFiles);

test('pause and resume from the receiver, cancel from the sender, decline', async ({ browser }) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const big = makeFile('paused.bin', 50 * MiB);
  const id = await sendFile(alice.page, big);
  const incoming = fileBubble(bob.page, big.name);
  await incoming.getByTestId('file-accept').click();
  await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(2);
  await incoming.getByTestId('file-pause').click();
  await status(incoming, 'paused');
  await status(fileBubble(alice.page, big.name), 'paused');
  await expect(fileBubble(alice.page, big.name)).toContainText('Paused by the other side.');
  // Paused means paused: in-flight chunks land, then the file stops growing.
  // (up to the 16 MiB window may still be on its way or queued for writing).
  let last = -1;
  await expect
    .poll(
      async () => {
        const previous = last;
        last = (await storedSize(bob.page, id)) ?? -1;
        return last === previous;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
  // Absence of growth needs time to show: a fixed wait is the point here.
  await bob.page.waitForTimeout(2_000);
  expect(await storedSize(bob.page, id)).toBe(last);
  expect(last).toBeLessThan(big.size);
  await incoming.getByTestId('file-resume').click();
  await status(incoming, 'complete', 120_000);
  expect(await storedSha256(bob.page, id)).toBe(big.sha256);

  const cancelled = makeFile('cancelled.bin', 50 * MiB);
  await sendFile(alice.page, cancelled);
  const offered = fileBubble(bob.page, cancelled.name);
  await status(offered, 'offered');
  await fileBubble(alice.page, cancelled.name).getByTestId('file-cancel').click();
  await status(fileBubble(alice.page, cancelled.name), 'cancelled');
  await status(offered, 'cancelled');
  await expect(offered.getByTestId('file-accept')).toHaveCount(0);

  const declined = makeFile('declined.txt', 1024);
  await sendFile(alice.page, declined);
  const decline = fileBubble(bob.page, declined.name);
  await decline.getByTestId('file-decline').click();
  await status(decline, 'declined');
  await status(fileBubble(alice.page, declined.name), 'declined');
  await alice.context.close();
  await bob.context.close();
});

test('the sender pauses, resumes, pauses again and cancels mid-transfer: the receiver keeps nothing', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const file = makeFile('changed-my-mind.bin', 100 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  const outgoing = fileBubble(alice.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(2);
  await outgoing.getByTestId('file-pause').click();
  await status(outgoing, 'paused');
  await status(incoming, 'paused');
  await expect(incoming).toContainText('Paused by the other side.');
  // Only the side that paused can resume.
  await expect(incoming.getByTestId('file-resume')).toHaveCount(0);
  const paused = await percent(incoming);
  await outgoing.getByTestId('file-resume').click();
  await status(incoming, 'active');
  await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(paused);
  await outgoing.getByTestId('file-pause').click();
  await status(incoming, 'paused');
  expect(await percent(incoming)).toBeLessThan(100);
  await outgoing.getByTestId('file-cancel').click();
  await status(outgoing, 'cancelled');
  await status(incoming, 'cancelled');
  await expect(incoming).toContainText('Cancelled by the other side.');
  await expect(incoming.getByTestId('file-save')).toHaveCount(0);
  // The part received is deleted on both sides (PROTOCOL.md §13.7: cancel is final).
  await expect.poll(() => storedSize(bob.page, id)).toBeUndefined();
  await expect.poll(() => storedSize(alice.page, id)).toBeUndefined();
  await alice.context.close();
  await bob.context.close();
});

test('accepting without the storage for it says so and leaves the offer open; with room it arrives', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  // The browser's estimate is the app's only view of free space; this one reports 1 MiB free
  // until the test makes room (a disk cannot be filled here).
  await bob.page.evaluate(() => {
    const storage = navigator.storage;
    const real = storage.estimate.bind(storage);
    Reflect.set(globalThis, '__room', 1024 * 1024);
    storage.estimate = async () => ({
      ...(await real()),
      quota: Reflect.get(globalThis, '__room') as number,
      usage: 0,
    });
  });
  const file = makeFile('needs-room.bin', 5 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await expect(incoming.getByRole('alert')).toHaveText('There is not enough storage space.');
  await status(incoming, 'offered');
  await status(fileBubble(alice.page, file.name), 'offered');
  expect(await storedSize(bob.page, id)).toBeUndefined();
  await bob.page.evaluate(() => Reflect.set(globalThis, '__room', 1024 ** 3));
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete');
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await alice.context.close();
  await bob.context.close();
});

test('an offer over the maximum file size set in Settings is declined automatically (3000)', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const [alice, bob] = await pair(browser);
  await goHome(bob.page);
  await bob.page.getByRole('button', { name: 'Settings' }).click();
  await bob.page.getByLabel('Maximum file size').selectOption({ label: '100 MiB' });
  await expect(bob.page.getByText('Saved.')).toBeVisible();
  await bob.page.getByRole('button', { name: 'Back', exact: true }).click();
  await openChatWith(bob.page, 'Alice');
  const file = makeFile('just-over.bin', 100 * MiB + 1);
  const id = await sendFile(alice.page, file);
  const refused = fileBubble(bob.page, file.name);
  await status(refused, 'cancelled', 90_000);
  await expect(refused).toContainText(
    'Declined automatically: larger than your maximum file size.',
  );
  await expect(refused.getByTestId('file-accept')).toHaveCount(0);
  const sent = fileBubble(alice.page, file.name);
  await status(sent, 'cancelled');
  await expect(sent).toContainText('Not sent: larger than the recipient accepts.');
  expect(await storedSize(bob.page, id)).toBeUndefined();
  // The session is untouched: chat still flows.
  await send(alice.page, 'too big, sorry');
  await expect(bubbles(bob.page).last()).toContainText('too big, sorry');
  await alice.context.close();
  await bob.context.close();
});

test('a complete file can be deleted from this browser on either side; the chat keeps a note', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  const picture = pictureFile('holiday.png');
  const { id, incoming } = await deliver(alice, bob, picture);
  await expect(incoming.getByTestId('file-preview')).toBeVisible();
  // Two steps: the first click only explains.
  await incoming.getByRole('button', { name: `Delete ${picture.name}` }).click();
  await expect(incoming).toContainText('This cannot be undone');
  expect(await storedSize(bob.page, id)).toBe(picture.size);
  await incoming.getByRole('button', { name: 'Delete the file' }).click();
  await expect(incoming).toContainText('Received. Deleted from this browser.');
  // Focus stays in the bubble, on what happened, not lost with the confirmation.
  await expect(incoming.locator('.file-status')).toBeFocused();
  await expect(incoming.getByTestId('file-save')).toHaveCount(0);
  await expect(incoming.getByTestId('file-preview')).toHaveCount(0);
  await expect(incoming.getByRole('button', { name: `Delete ${picture.name}` })).toHaveCount(0);
  expect(await storedSize(bob.page, id)).toBeUndefined();
  // The sender still has its copy until it deletes it too.
  const outgoing = fileBubble(alice.page, picture.name);
  await expect(outgoing.getByTestId('file-preview')).toBeVisible();
  expect(await storedSize(alice.page, id)).toBe(picture.size);
  await outgoing.getByRole('button', { name: `Delete ${picture.name}` }).click();
  await outgoing.getByRole('button', { name: 'Delete the file' }).click();
  await expect(outgoing).toContainText('Sent. Deleted from this browser.');
  expect(await storedSize(alice.page, id)).toBeUndefined();
  // Stored: a reload shows the same, and the session still carries chat.
  await bob.page.reload();
  const again = fileBubble(bob.page, picture.name);
  await expect(again).toContainText('Received. Deleted from this browser.');
  await expect(again.getByTestId('file-save')).toHaveCount(0);
  await send(alice.page, 'deleted mine too');
  await expect(bubbles(bob.page).last()).toContainText('deleted mine too');
  await alice.context.close();
  await bob.context.close();
});
