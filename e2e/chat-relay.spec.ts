import { expect, test } from '@playwright/test';
import {
  befriend,
  bubbles,
  connection,
  expectConnected,
  onlineUser,
  send,
} from './chat-helpers.ts';

test('relay only: the chat goes through coturn with credentials minted by the Worker', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const alice = await onlineUser(browser, 'Alice', { relayOnly: true });
  const bob = await onlineUser(browser, 'Bob', { relayOnly: true });
  await befriend(alice, bob);
  // With iceTransportPolicy 'relay' the only candidates are TURN allocations, which coturn
  // grants only for the Worker's HMAC credentials: the selected pair is relay on our side.
  await expectConnected(alice.page, 'relayed');
  await expectConnected(bob.page, 'relayed');
  await expect(connection(alice.page)).toContainText('relay server (TURN)');
  await send(alice.page, 'through the **relay**');
  await expect(bubbles(bob.page).last().locator('strong')).toHaveText('relay');
  await send(bob.page, 'received');
  await expect(bubbles(alice.page).last()).toContainText('received');
  await expect(bubbles(alice.page).first()).toHaveAttribute('data-state', 'read');
  await alice.context.close();
  await bob.context.close();
});
