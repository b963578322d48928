// Shared steps of the files*.spec.ts end-to-end tests (issue 6): test files on disk, the
// chat's file bubbles, what the receiver stored in OPFS, and two befriended users.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { befriend, expectConnected, onlineUser, type User } from './chat-helpers.ts';

export const MiB = 1024 * 1024;

export interface TestFile {
  readonly path: string;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

let dir: string | undefined;

/** The folder test files are written to, made on first use (removeTestFiles() deletes it). */
export function testDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'peerline-e2e-files-'));
  return dir;
}

/** For each spec's afterAll. */
export function removeTestFiles(): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

/** `data` written to the test folder as `name`. */
export function fileOf(name: string, data: Uint8Array): TestFile {
  const path = join(testDir(), name);
  writeFileSync(path, data);
  return { path, name, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** A real PNG (one of the docs' screenshots) under `name`. */
export function pictureFile(name: string): TestFile {
  return fileOf(name, readFileSync('docs/screenshots/onboarding-light.png'));
}

/** `size` random bytes under `name`. */
export function makeFile(name: string, size: number): TestFile {
  return fileOf(name, randomBytes(size));
}

export function fileBubble(page: Page, name: string): Locator {
  return page.getByTestId('file-bubble').filter({ hasText: name });
}

export async function sendFile(page: Page, file: TestFile): Promise<string> {
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
export async function dropOrPaste(
  page: Page,
  file: TestFile,
  event: 'drop' | 'paste',
): Promise<void> {
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
    const delivered = await page
      .locator('#composer-text')
      .evaluate(
        (field, dt) =>
          field.dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
          ),
        transfer,
      );
    // The app took the file and stopped the browser's own paste (false: default prevented).
    expect(delivered).toBe(false);
  }
  await transfer.dispose();
}

/** From the next page's first script on, every value a progress bar shows is kept. */
export async function recordProgress(context: BrowserContext): Promise<void> {
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
          if (!(n instanceof Element)) continue;
          if (n.matches('[data-testid="file-progress"]')) record(n);
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
export async function expectWentOnFrom(page: Page, before: number, size: number): Promise<void> {
  const seen = await page.evaluate(() => Reflect.get(globalThis, '__progressSeen') as number[]);
  expect(seen.length).toBeGreaterThan(0);
  expect(Math.min(...seen)).toBeGreaterThanOrEqual(before - (100 * 2 * MiB) / size - 0.5);
}

/**
 * Alice sends `file` and Bob accepts it; resolves once Bob's copy is complete and has the
 * original's SHA-256, with the file's id and Bob's bubble.
 */
export async function deliver(
  alice: User,
  bob: User,
  file: TestFile,
  timeout = 60_000,
): Promise<{ id: string; incoming: Locator }> {
  const id = await sendFile(alice.page, file);
  const incoming = fileBubble(bob.page, file.name);
  await incoming.getByTestId('file-accept').click();
  await status(incoming, 'complete', timeout);
  expect(await storedSha256(bob.page, id)).toBe(file.sha256);
  return { id, incoming };
}

export async function status(bubble: Locator, value: string, timeout = 60_000): Promise<void> {
  await expect(bubble).toHaveAttribute('data-status', value, { timeout });
}

/** SHA-256 (hex) of the received file as stored in the receiver's OPFS. */
export function storedSha256(page: Page, id: string): Promise<string> {
  return page.evaluate(async (fileId) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('transfers');
    const file = await (await folder.getFileHandle(fileId)).getFile();
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, id);
}

/** Size of the receiver's OPFS file for `id`, or undefined when there is none. */
export function storedSize(page: Page, id: string): Promise<number | undefined> {
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
export async function percent(bubble: Locator): Promise<number> {
  const bar = bubble.getByTestId('file-progress');
  const [value, max] = await Promise.all([bar.getAttribute('value'), bar.getAttribute('max')]);
  return (100 * Number(value ?? 0)) / Number(max ?? 1);
}

export async function pair(
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
