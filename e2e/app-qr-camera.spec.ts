// Scanning a QR code with the camera, on Chromium's fake camera. The picture the fake camera shows
// is fixed when the browser starts, so each test launches its own browser with its own flags.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  expect,
  type Page,
  test,
} from '@playwright/test';
import { encode } from 'uqr';
import { baseURL, configure, expectAccessible, newUser, onboard } from './app-helpers.ts';

const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

/** A browser like the config's, with extra command-line flags. */
async function launch(extra: readonly string[]): Promise<Browser> {
  const options = test.info().project.use.launchOptions ?? {};
  return chromium.launch({ ...options, args: [...(options.args ?? []), ...extra] });
}

async function newProfile(browser: Browser, permissions: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseURL(), permissions });
  await configure(context);
  // Keeps every stream the page opens, so the test can see that the camera was stopped.
  await context.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const open = devices.getUserMedia.bind(devices);
    const streams: MediaStream[] = [];
    Object.assign(window, { __streams: streams });
    devices.getUserMedia = async (c) => {
      const s = await open(c);
      streams.push(s);
      return s;
    };
  });
  return context;
}

/** [opened streams, tracks still live] */
function cameraUse(page: Page): Promise<[number, number]> {
  return page.evaluate(() => {
    const streams = (window as unknown as { __streams: MediaStream[] }).__streams;
    const live = streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live');
    return [streams.length, live.length];
  });
}

/**
 * One frame of a YUV4MPEG2 video: the QR code of `text`, 8 px per module with a 4-module white
 * quiet zone, on a white 640×480 picture (4:2:0, grey: U and V at 128).
 */
function qrVideo(text: string): Buffer {
  const W = 640;
  const H = 480;
  const MODULE = 8;
  const { data } = encode(text, { border: 4 });
  const side = data.length * MODULE;
  const left = (W - side) >> 1;
  const top = (H - side) >> 1;
  const y = Buffer.alloc(W * H, 255);
  for (let r = 0; r < data.length; r++) {
    const row = data[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      if (!row[c]) continue;
      for (let dy = 0; dy < MODULE; dy++) {
        const start = (top + r * MODULE + dy) * W + left + c * MODULE;
        y.fill(0, start, start + MODULE);
      }
    }
  }
  const uv = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, uv]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`),
    frame,
    frame,
  ]);
}

async function openScanner(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('button', { name: 'Scan QR code with camera' }).click();
}

test.describe('adding a contact by scanning a QR code with the camera', () => {
  let dir = '';
  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peerline-e2e-camera-'));
  });
  test.afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("Alice scans Bob's QR code, sees his fingerprint and adds him", async ({ browser }) => {
    const bob = await newUser(browser);
    const b = await onboard(bob.page, 'Bob');
    const bobFingerprint = await bob.page.locator('.my-link .fingerprint .mono').textContent();
    const video = join(dir, 'bob-qr.y4m');
    writeFileSync(video, qrVideo(b.link));

    const camera = await launch([...FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await newProfile(camera, ['camera']);
      const page = await context.newPage();
      await onboard(page, 'Alice');
      await openScanner(page);

      await expect(page.getByRole('heading', { name: 'Add this person?' })).toBeVisible();
      await expect(page.getByTestId('confirm-fingerprint')).toHaveText(bobFingerprint ?? '-');
      await expect(page.locator('.key-full')).toHaveText(b.key);
      // The camera went off as soon as the code was read.
      expect(await cameraUse(page)).toEqual([1, 0]);
      await page.getByLabel('Name for this contact').fill('Bob');
      await page.getByRole('button', { name: 'Add contact' }).click();
      await expect(page.getByRole('heading', { name: 'Bob', level: 2 })).toBeVisible();
      await page.goto('/');
      await expect(page.getByRole('list', { name: 'Contacts' })).toContainText('Bob');
    } finally {
      await camera.close();
      await bob.context.close();
    }
  });

  test('a code that is not a Peerline link is named, and the camera is off', async () => {
    const video = join(dir, 'other-qr.y4m');
    writeFileSync(video, qrVideo('https://example.org/#not-a-key'));
    const camera = await launch([...FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await newProfile(camera, ['camera']);
      const page = await context.newPage();
      await onboard(page, 'Alice');
      await openScanner(page);
      const status = page.locator('#qr-camera-status');
      await expect(status).toHaveText(
        /^The QR code was read, but it is not a usable Peerline link\. This is not a Peerline key/,
      );
      await expect(status).toHaveAttribute('role', 'alert');
      expect(await cameraUse(page)).toEqual([1, 0]);
      await expect(page.getByRole('heading', { name: 'Add contact' })).toBeVisible();
      // Scanning again opens the camera again (and reads the same code again).
      await page.getByRole('button', { name: 'Scan again' }).click();
      await expect.poll(() => cameraUse(page)).toEqual([2, 0]);
      await expect(status).toHaveText(/not a usable Peerline link/);
    } finally {
      await camera.close();
    }
  });

  test('Stop camera turns it off; no code in view keeps scanning', async () => {
    // Without a file, the fake camera shows Chromium's moving test pattern: no QR code in it.
    const camera = await launch(FAKE_CAMERA);
    try {
      const context = await newProfile(camera, ['camera']);
      const page = await context.newPage();
      await onboard(page, 'Alice');
      await openScanner(page);
      const status = page.locator('#qr-camera-status');
      await expect(status).toHaveText(/^Hold their QR code in front of the camera/);
      await expect(status).toHaveAttribute('role', 'status');
      await expect(page.getByLabel('Camera picture')).toBeVisible();
      await expect.poll(() => cameraUse(page)).toEqual([1, 1]);
      await expectAccessible(page, 'add contact with the camera on');

      await page.getByRole('button', { name: 'Stop camera' }).click();
      expect(await cameraUse(page)).toEqual([1, 0]);
      await expect(page.getByRole('button', { name: 'Scan QR code with camera' })).toBeFocused();

      // Leaving the screen stops it too.
      await page.getByRole('button', { name: 'Scan QR code with camera' }).click();
      await expect.poll(() => cameraUse(page)).toEqual([2, 1]);
      await page.goBack();
      await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
      expect(await cameraUse(page)).toEqual([2, 0]);
    } finally {
      await camera.close();
    }
  });

  test('a refused or missing camera gets a clear message', async () => {
    const camera = await launch([
      '--use-fake-device-for-media-stream',
      '--deny-permission-prompts',
    ]);
    try {
      const context = await newProfile(camera, []);
      const page = await context.newPage();
      await onboard(page, 'Alice');
      await openScanner(page);
      const status = page.locator('#qr-camera-status');
      await expect(status).toHaveText(/^Peerline may not use the camera\. Allow the camera/);
      await expect(status).toHaveAttribute('role', 'alert');
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
      await expectAccessible(page, 'add contact with the camera refused');
      await page.getByRole('button', { name: 'Close camera' }).click();
      await expect(page.getByRole('button', { name: 'Scan QR code with camera' })).toBeFocused();

      // A device without a camera (or a browser without camera support).
      await context.addInitScript(() => {
        Object.defineProperty(navigator, 'mediaDevices', { value: undefined });
      });
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible();
      await openScanner(page);
      await expect(status).toHaveText(
        'No camera was found on this device. Upload a picture of the QR code instead.',
      );
    } finally {
      await camera.close();
    }
  });
});
