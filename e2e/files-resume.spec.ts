// File transfer end to end: a transfer survives a reload of either side and a restart of the
// receiver's whole browser, and goes on from its last checkpoint (issue 6, "Resume").

import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { baseURL, configure, onboard } from './app-helpers.ts';
import { befriend, expectConnected, onlineUser, openChatWith, type User } from './chat-helpers.ts';
import {
  expectWentOnFrom,
  fileBubble,
  MiB,
  makeFile,
  pair,
  percent,
  recordProgress,
  removeTestFiles,
  sendFile,
  status,
  storedSha256,
  testDir,
} from './files-helpers.ts';

test.afterAll(removeTestFiles);

/**
 * Alice sends a 50 MiB `name` and Bob accepts it; resolves once Bob's bar shows more than 10 %
 * (and less than 100), with the file's id, Bob's bubble and the percent shown then.
 */
async function halfway(alice: User, bob: User, name: string) {
  const file = makeFile(name, 50 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  // Polled often: 50 MiB takes only a few seconds here, and the test needs it well short of done.
  await expect
    .poll(() => percent(incoming), { timeout: 60_000, intervals: [100] })
    .toBeGreaterThan(10);
  const before = await percent(incoming);
  expect(before).toBeLessThan(100);
  return { file, id, incoming, before };
}

test('the receiver reloads mid-transfer and the transfer completes', async ({ browser }) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const { file, id, before } = await halfway(alice, bob, 'archive.bin');
  await recordProgress(bob.context);
  await bob.page.reload();
  // The app reopens the chat that was on screen.
  await expect(bob.page.getByRole('heading', { name: 'Alice', level: 2 })).toBeVisible();
  const again = fileBubble(bob.page, file.name);
  await status(again, 'complete', 150_000);
  await expectWentOnFrom(bob.page, before, file.size);
  await status(fileBubble(alice.page, file.name), 'complete');
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await alice.context.close();
  await bob.context.close();
});

test("the receiver's browser is closed mid-transfer and started again: the transfer completes", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // Bob's profile lives on disk, as a user's does, so his whole browser can be closed and
  // started again on it.
  const profile = mkdtempSync(join(testDir(), 'profile-'));
  const { executablePath, args } = test.info().project.use.launchOptions ?? {};
  const launch = async () => {
    const context = await chromium.launchPersistentContext(profile, {
      ...(executablePath ? { executablePath } : {}),
      ...(args ? { args } : {}),
      baseURL: baseURL(),
    });
    await configure(context, { signaling: 'worker' });
    return { context, page: context.pages()[0] ?? (await context.newPage()) };
  };
  const open: { close(): Promise<void> }[] = [];
  try {
    const alice = await onlineUser(browser, 'Alice');
    open.push(alice.context);
    const first = await launch();
    open.push(first.context);
    const me = await onboard(first.page, 'Bob');
    const bob: User = { ...first, name: 'Bob', ...me };
    await befriend(alice, bob);
    await expectConnected(bob.page, 'direct');
    const { file, id, before } = await halfway(alice, bob, 'across-restart.bin');
    await first.context.close();
    const second = await launch();
    open.push(second.context);
    await recordProgress(second.context);
    await second.page.goto('/');
    await openChatWith(second.page, 'Alice');
    const again = fileBubble(second.page, file.name);
    await status(again, 'complete', 150_000);
    await status(fileBubble(alice.page, file.name), 'complete');
    await expectWentOnFrom(second.page, before, file.size);
    expect(await storedSha256(second.page, id)).toBe(file.sha256);
  } finally {
    // Closing twice is harmless; a failed test must not leave a browser on the profile.
    for (const c of open) await c.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
});

test('the sender reloads mid-transfer and the transfer completes', async ({ browser }) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const { file, id, incoming } = await halfway(alice, bob, 'sent-then-reloaded.bin');
  await alice.page.reload();
  await status(fileBubble(alice.page, file.name), 'complete', 150_000);
  await status(incoming, 'complete');
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await alice.context.close();
  await bob.context.close();
});
