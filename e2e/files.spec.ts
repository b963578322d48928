// File transfer end to end (issue 6): two isolated Chromium contexts, the real Worker, coturn,
// OPFS and IndexedDB. Files come from disk through the chat's file input (or a drop, or a
// paste); what arrives is read back from the receiver's OPFS and compared by SHA-256 with the
// original. Resume: files-resume.spec.ts; pause, cancel, limits, delete: files-control.spec.ts.

import { expect, test } from '@playwright/test';
import { checkScreen } from './app-helpers.ts';
import { bubbles, dismissOfflineNotice, send } from './chat-helpers.ts';
import {
  deliver,
  dropOrPaste,
  fileBubble,
  fileOf,
  MiB,
  makeFile,
  pair,
  pictureFile,
  removeTestFiles,
  sendFile,
  status,
  storedSha256,
  storedSize,
} from './files-helpers.ts';

test.afterAll(removeTestFiles);

test('a 50 MiB file arrives with the same SHA-256, and chat flows during the transfer', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  // Both sides hash with the WebAssembly SHA-256; the noble fallback would warn (4× slower).
  const warnings: string[] = [];
  for (const page of [alice.page, bob.page]) {
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
  }
  const file = makeFile('video.bin', 50 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await status(incoming, 'offered');
  // No data before acceptance: the receiver has stored nothing yet.
  await expect(incoming.getByTestId('file-save')).toHaveCount(0);
  expect(await storedSize(bob.page, id)).toBeUndefined();
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'active');
  // Record, in Bob's page, the file's status at the moment the chat message appears.
  await bob.page.evaluate(() => {
    const seen = new MutationObserver(() => {
      const last = [...document.querySelectorAll('.message-list > li')].at(-1);
      if (last?.textContent?.includes('while the file flows')) {
        const bubble = document.querySelector('[data-testid="file-bubble"]');
        Reflect.set(globalThis, '__statusAtChat', bubble?.getAttribute('data-status'));
        seen.disconnect();
      }
    });
    seen.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await send(alice.page, 'while the file flows');
  await expect(bubbles(bob.page).last()).toContainText('while the file flows');
  expect(await bob.page.evaluate(() => Reflect.get(globalThis, '__statusAtChat'))).toBe('active');
  await status(incoming, 'complete', 120_000);
  await status(fileBubble(alice.page, file.name), 'complete');
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await expect(incoming.getByTestId('file-save')).toBeVisible();
  expect(warnings.filter((w) => w.includes('SHA-256'))).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});

test('several files at once from the picker, one dropped on the chat, one pasted: all arrive', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const [alice, bob] = await pair(browser);
  const picked = [makeFile('first.pdf', 3 * MiB + 17), makeFile('second.txt', 70_000)];
  const dropped = makeFile('dropped.bin', 1 * MiB);
  const pasted = makeFile('pasted.bin', 300_000);
  await alice.page.getByTestId('file-input').setInputFiles(picked.map((f) => f.path));
  await dropOrPaste(alice.page, dropped, 'drop');
  await dropOrPaste(alice.page, pasted, 'paste');
  const all = [...picked, dropped, pasted];
  await expect(bob.page.getByTestId('file-bubble')).toHaveCount(all.length, { timeout: 30_000 });
  for (const f of all) {
    const incoming = fileBubble(bob.page, f.name);
    await status(incoming, 'offered');
    await incoming.getByTestId('file-accept').click();
  }
  for (const f of all) {
    const incoming = fileBubble(bob.page, f.name);
    await status(incoming, 'complete');
    await status(fileBubble(alice.page, f.name), 'complete');
    const id = await incoming.getAttribute('data-file-id');
    expect(await storedSha256(bob.page, id as string)).toBe(f.sha256);
  }
  await alice.context.close();
  await bob.context.close();
});

test('relay only: a file goes through coturn and arrives intact', async ({ browser }) => {
  test.setTimeout(150_000);
  const [alice, bob] = await pair(browser, true);
  const file = makeFile('photo.bin', 4 * MiB);
  await deliver(alice, bob, file, 120_000);
  await alice.context.close();
  await bob.context.close();
});

test('a picture shows a preview on both sides once complete; the file screen is accessible', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  const picture = pictureFile('screen.png');
  await deliver(alice, bob, picture);
  for (const page of [bob.page, alice.page]) {
    const preview = fileBubble(page, picture.name).getByTestId('file-preview');
    await expect(preview).toBeVisible();
    // The image really decoded (a broken object URL leaves naturalWidth at 0).
    await expect
      .poll(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  }
  await send(bob.page, 'Got the **screenshot**, thanks!');
  await expect(bubbles(alice.page).last()).toContainText('Got the screenshot');
  await dismissOfflineNotice(bob.page);
  await checkScreen(bob.page, 'chat-file', async () => {
    await expect(fileBubble(bob.page, picture.name).getByTestId('file-preview')).toBeVisible();
  });
  await alice.context.close();
  await bob.context.close();
});

test('a short video gets a working preview on both sides once complete', async ({ browser }) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  // A one-second WebM recorded from a canvas in the page: a real video file, made here.
  const base64 = await alice.page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
    const parts: Blob[] = [];
    recorder.ondataavailable = (e) => parts.push(e.data);
    const stopped = new Promise((r) => {
      recorder.onstop = r;
    });
    recorder.start();
    const start = performance.now();
    while (performance.now() - start < 1_000) {
      g.fillStyle = `hsl(${(performance.now() - start) / 3}, 80%, 50%)`;
      g.fillRect(0, 0, 160, 120);
      await new Promise((r) => setTimeout(r, 40));
    }
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  const clip = fileOf('clip.webm', Buffer.from(base64, 'base64'));
  await deliver(alice, bob, clip);
  for (const page of [bob.page, alice.page]) {
    const preview = fileBubble(page, clip.name).getByTestId('file-preview');
    await expect(preview).toBeVisible();
    // The browser read the video's header from the stored file (HAVE_METADATA or better).
    await expect
      .poll(() => preview.evaluate((v) => (v as HTMLVideoElement).readyState))
      .toBeGreaterThanOrEqual(1);
    expect(await preview.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBe(160);
  }
  await alice.context.close();
  await bob.context.close();
});

test('a file can be cancelled while it is being prepared: nothing is offered or kept', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  const file = makeFile('picked-by-mistake.bin', 200 * MiB);
  await alice.page.getByTestId('file-input').setInputFiles(file.path);
  const bubble = fileBubble(alice.page, file.name);
  await status(bubble, 'preparing');
  const id = await bubble.getAttribute('data-file-id');
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  await bubble.getByTestId('file-cancel').click();
  await status(bubble, 'cancelled');
  await expect(bubble).toContainText('You cancelled this file before it was offered.');
  // The partial copy is gone from Alice's storage, and Bob never heard of the file.
  await expect.poll(() => storedSize(alice.page, id as string)).toBeUndefined();
  await send(alice.page, 'never mind');
  await expect(bubbles(bob.page).last()).toContainText('never mind');
  await expect(fileBubble(bob.page, file.name)).toHaveCount(0);
  await alice.context.close();
  await bob.context.close();
});
