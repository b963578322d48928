import { expect, test } from '@playwright/test';
import { checkScreen, workerUrl } from './app-helpers.ts';
import {
  befriend,
  bubbles,
  connection,
  dismissOfflineNotice,
  onlineUser,
  send,
} from './chat-helpers.ts';
import { startHostileProxy } from './fixtures/hostile-proxy.ts';

test('a hostile signaling server that swaps keys: security error, nothing sent', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const bob = await onlineUser(browser, 'Bob');
  const mallory = await onlineUser(browser, 'Mallory');
  // Alice's signaling goes through the proxy: her signals for Bob reach Mallory, Mallory's reach
  // her as if they came from Bob, and Bob's never arrive. Her address is not known before she
  // onboards, so the proxy is set up for Bob and Mallory, which is all it needs.
  const proxy = await startHostileProxy(workerUrl(), { contact: bob.key, attacker: mallory.key });
  try {
    const alice = await onlineUser(browser, 'Alice', { signaling: proxy.url });
    await befriend(alice, bob);
    // Mallory has Alice's link too (it is public) and calls her.
    await mallory.page.goto(alice.link);
    await mallory.page.getByLabel('Name for this contact').fill('Alice');
    await mallory.page.getByRole('button', { name: 'Add contact' }).click();

    const alert = alice.page.getByTestId('security-alert');
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText('this is not Bob’s key');
    await expect(alert).toContainText('nothing was sent');
    await expect(connection(alice.page)).toHaveAttribute('data-state', 'insecure');
    expect(proxy.forged()).toBeGreaterThan(0);

    await send(alice.page, 'secret plan for Bob');
    await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'pending');
    // It stays that way: Alice's side refuses to connect while the warning stands.
    await expect(connection(alice.page)).toHaveAttribute('data-state', 'insecure');
    await expect(alert).toBeVisible();
    await expect(mallory.page.getByText('secret plan')).toHaveCount(0);
    await expect(bob.page.getByText('secret plan')).toHaveCount(0);
    expect(proxy.frames.some((f) => f.includes('secret plan'))).toBe(false);
    await dismissOfflineNotice(alice.page);
    await checkScreen(alice.page, 'chat-security-error', () => expect(alert).toBeVisible());
    await alice.context.close();
  } finally {
    await proxy.close();
    await bob.context.close();
    await mallory.context.close();
  }
});
