// File transfer end to end (issue 6): two isolated Chromium contexts, the real Worker, coturn,
// OPFS and IndexedDB. Files come from disk through the chat's file input; what arrives is read
// back from the receiver's OPFS and compared by SHA-256 with the original.

import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BrowserContext,
  chromium,
  expect,
  type Locator,
  type Page,
  test,
} from '@playwright/test';
import { baseURL, checkScreen, configure, onboard } from './app-helpers.ts';
import {
  befriend,
  bubbles,
  dismissOfflineNotice,
  expectConnected,
  goHome,
  onlineUser,
  openChatWith,
  send,
  type User,
} from './chat-helpers.ts';

const MiB = 1024 * 1024;

interface TestFile {
  readonly path: string;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerline-e2e-files-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeFile(name: string, size: number): TestFile {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, name, size, sha256: createHash('sha256').update(data).digest('hex') };
}

function fileBubble(page: Page, name: string): Locator {
  return page.getByTestId('file-bubble').filter({ hasText: name });
}

async function sendFile(page: Page, file: TestFile): Promise<string> {
  await page.getByTestId('file-input').setInputFiles(file.path);
  const bubble = fileBubble(page, file.name);
  await expect(bubble).toBeVisible({ timeout: 30_000 });
  const id = await bubble.getAttribute('data-file-id');
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  return id as string;
}

/**
 * Hands `file` to the page the way a drop or a paste does: a DataTransfer holding it as a File,
 * dispatched as `event` ('drop' on the chat, 'paste' on the message field).
 */
async function dropOrPaste(page: Page, file: TestFile, event: 'drop' | 'paste'): Promise<void> {
  const bytes = readFileSync(file.path).toString('base64');
  const transfer = await page.evaluateHandle(
    ([name, base64]) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
      return dt;
    },
    [file.name, bytes] as const,
  );
  if (event === 'drop') {
    const chat = page.locator('section.chat');
    // What a browser fires when a file is dragged over the chat and let go.
    await chat.dispatchEvent('dragenter', { dataTransfer: transfer });
    await chat.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(page.locator('.drop-zone')).toBeVisible();
    await chat.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.locator('.drop-zone')).toHaveCount(0);
  } else {
    await page
      .locator('#composer-text')
      .evaluate(
        (field, dt) =>
          field.dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
          ),
        transfer,
      );
  }
  await transfer.dispose();
}

/** From the next page's first script on, every value a progress bar shows is kept. */
async function recordProgress(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: number[] = [];
    Reflect.set(globalThis, '__progressSeen', seen);
    const record = (bar: Element) => {
      const value = Number(bar.getAttribute('value'));
      const max = Number(bar.getAttribute('max'));
      if (max > 0) seen.push((100 * value) / max);
    };
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === 'attributes') record(c.target as Element);
        for (const n of c.addedNodes) {
          if (n instanceof Element)
            n.querySelectorAll('[data-testid="file-progress"]').forEach(record);
        }
      }
    }).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['value'],
    });
  });
}

/**
 * The transfer went on from its last stored checkpoint, never from the start: every percent the
 * page showed (recordProgress) is at least `before` less two ack intervals (2 × 1 MiB), the
 * most a checkpoint can lag what was shown when the page went during the next one's write.
 */
async function expectWentOnFrom(page: Page, before: number, size: number): Promise<void> {
  const seen = await page.evaluate(() => Reflect.get(globalThis, '__progressSeen') as number[]);
  expect(seen.length).toBeGreaterThan(0);
  expect(Math.min(...seen)).toBeGreaterThanOrEqual(before - (100 * 2 * MiB) / size - 0.5);
}

async function status(bubble: Locator, value: string, timeout = 60_000): Promise<void> {
  await expect(bubble).toHaveAttribute('data-status', value, { timeout });
}

/** SHA-256 (hex) of the received file as stored in the receiver's OPFS. */
function storedSha256(page: Page, id: string): Promise<string> {
  return page.evaluate(async (fileId) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('transfers');
    const file = await (await folder.getFileHandle(fileId)).getFile();
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, id);
}

/** Size of the receiver's OPFS file for `id`, or undefined when there is none. */
function storedSize(page: Page, id: string): Promise<number | undefined> {
  return page.evaluate(async (fileId) => {
    try {
      const root = await navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle('transfers');
      return (await (await folder.getFileHandle(fileId)).getFile()).size;
    } catch {
      return undefined;
    }
  }, id);
}

/** Percent shown by the bubble's progress bar. */
async function percent(bubble: Locator): Promise<number> {
  const bar = bubble.getByTestId('file-progress');
  const [value, max] = await Promise.all([bar.getAttribute('value'), bar.getAttribute('max')]);
  return (100 * Number(value ?? 0)) / Number(max ?? 1);
}

async function pair(
  browser: Parameters<typeof onlineUser>[0],
  relayOnly = false,
): Promise<[User, User]> {
  const alice = await onlineUser(browser, 'Alice', { relayOnly });
  const bob = await onlineUser(browser, 'Bob', { relayOnly });
  await befriend(alice, bob);
  await expectConnected(alice.page, relayOnly ? 'relayed' : 'direct');
  await expectConnected(bob.page, relayOnly ? 'relayed' : 'direct');
  return [alice, bob];
}

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
  // The pasted file did not end up as text in the message field.
  await expect(alice.page.locator('#composer-text')).toHaveValue('');
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

test('the receiver reloads mid-transfer and the transfer completes', async ({ browser }) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const file = makeFile('archive.bin', 50 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(10);
  const before = await percent(incoming);
  expect(before).toBeLessThan(100);
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
  const profile = mkdtempSync(join(tmpdir(), 'peerline-e2e-profile-'));
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
  try {
    const alice = await onlineUser(browser, 'Alice');
    const first = await launch();
    const me = await onboard(first.page, 'Bob');
    const bob: User = { ...first, name: 'Bob', ...me };
    await befriend(alice, bob);
    await expectConnected(bob.page, 'direct');
    const file = makeFile('across-restart.bin', 50 * MiB);
    const id = await sendFile(alice.page, file);
    const incoming = fileBubble(bob.page, file.name);
    await incoming.getByTestId('file-accept').click();
    await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(10);
    const before = await percent(incoming);
    expect(before).toBeLessThan(100);
    await first.context.close();
    const second = await launch();
    await recordProgress(second.context);
    await second.page.goto('/');
    await openChatWith(second.page, 'Alice');
    const again = fileBubble(second.page, file.name);
    await status(again, 'complete', 150_000);
    await status(fileBubble(alice.page, file.name), 'complete');
    await expectWentOnFrom(second.page, before, file.size);
    expect(await storedSha256(second.page, id)).toBe(file.sha256);
    await second.context.close();
    await alice.context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('relay only: a file goes through coturn and arrives intact', async ({ browser }) => {
  test.setTimeout(150_000);
  const [alice, bob] = await pair(browser, true);
  const file = makeFile('photo.bin', 4 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete', 120_000);
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await alice.context.close();
  await bob.context.close();
});

test('the sender reloads mid-transfer and the transfer completes', async ({ browser }) => {
  test.setTimeout(180_000);
  const [alice, bob] = await pair(browser);
  const file = makeFile('sent-then-reloaded.bin', 50 * MiB);
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await expect.poll(() => percent(incoming), { timeout: 60_000 }).toBeGreaterThan(5);
  expect(await percent(incoming)).toBeLessThan(100);
  await alice.page.reload();
  await status(fileBubble(alice.page, file.name), 'complete', 150_000);
  await status(incoming, 'complete');
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  await alice.context.close();
  await bob.context.close();
});

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

test('a picture shows a preview on both sides once complete; the file screen is accessible', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  const path = join(dir, 'screen.png');
  copyFileSync('docs/screenshots/onboarding-light.png', path);
  const data = readFileSync(path);
  const picture: TestFile = {
    path,
    name: 'screen.png',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  const id = await sendFile(alice.page, picture);
  const incoming = fileBubble(bob.page, picture.name);
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete');
  expect(await storedSha256(bob.page, id)).toBe(picture.sha256);
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
  const data = Buffer.from(base64, 'base64');
  const path = join(dir, 'clip.webm');
  writeFileSync(path, data);
  const clip: TestFile = {
    path,
    name: 'clip.webm',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  const id = await sendFile(alice.page, clip);
  const incoming = fileBubble(bob.page, clip.name);
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete');
  expect(await storedSha256(bob.page, id)).toBe(clip.sha256);
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

test('a complete file can be deleted from this browser on either side; the chat keeps a note', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [alice, bob] = await pair(browser);
  const path = join(dir, 'holiday.png');
  copyFileSync('docs/screenshots/onboarding-light.png', path);
  const data = readFileSync(path);
  const picture: TestFile = {
    path,
    name: 'holiday.png',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  const id = await sendFile(alice.page, picture);
  const incoming = fileBubble(bob.page, picture.name);
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete');
  await expect(incoming.getByTestId('file-preview')).toBeVisible();
  // Two steps: the first click only explains.
  await incoming.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(incoming).toContainText('This cannot be undone');
  expect(await storedSize(bob.page, id)).toBe(picture.size);
  await incoming.getByRole('button', { name: 'Delete the file' }).click();
  await expect(incoming).toContainText('Received. Deleted from this browser.');
  await expect(incoming.getByTestId('file-save')).toHaveCount(0);
  await expect(incoming.getByTestId('file-preview')).toHaveCount(0);
  await expect(incoming.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
  expect(await storedSize(bob.page, id)).toBeUndefined();
  // The sender still has its copy until it deletes it too.
  const outgoing = fileBubble(alice.page, picture.name);
  await expect(outgoing.getByTestId('file-preview')).toBeVisible();
  await outgoing.getByRole('button', { name: 'Delete', exact: true }).click();
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
