// The camera side of QR scanning: opening the back camera, reading frames, and stopping every
// track. No Solid here: QrScanner.tsx owns the screen state, this file only talks to the browser.

import { decodeQrPixels } from './qr-decode.ts';

/** Why the camera could not be opened, in the terms the screen explains to the user. */
export type CameraProblem = 'denied' | 'no-camera' | 'busy' | 'failed';

export type CameraOpen =
  | { readonly ok: true; readonly stream: MediaStream }
  | { readonly ok: false; readonly problem: CameraProblem };

/** Maps a getUserMedia rejection to what the user can do about it. */
export function cameraProblem(err: unknown): CameraProblem {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    // SecurityError: the page is not allowed to ask at all (an insecure origin or a policy).
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    // OverconstrainedError: no camera fits; only `facingMode` is asked, so there is none at all.
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    // Another app holds the camera, or the hardware failed to start.
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

export async function openCamera(): Promise<CameraOpen> {
  // Missing on insecure origins and in browsers without camera support.
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices || typeof devices.getUserMedia !== 'function') {
    return { ok: false, problem: 'no-camera' };
  }
  try {
    // 'environment' is a preference, not `exact`: a laptop's only (front) camera is still used.
    const stream = await devices.getUserMedia({
      video: { facingMode: 'environment' },
      audio: false,
    });
    return { ok: true, stream };
  } catch (err) {
    return { ok: false, problem: cameraProblem(err) };
  }
}

/** Stops every track, so the browser's camera indicator goes off. */
export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Reads one frame; undefined while no code is in view. */
type FrameReader = (video: HTMLVideoElement) => Promise<string | undefined>;

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<readonly DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** The platform's detector when it reads QR codes (Android Chrome, Safari), else undefined. */
async function nativeReader(): Promise<FrameReader | undefined> {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!ctor) return undefined;
  try {
    if (!(await ctor.getSupportedFormats()).includes('qr_code')) return undefined;
    const detector = new ctor({ formats: ['qr_code'] });
    return async (video) => {
      const found = await detector.detect(video);
      return found.find((c) => c.rawValue !== '')?.rawValue;
    };
  } catch {
    return undefined;
  }
}

/**
 * Camera frames are scaled down to this many pixels on their longer side before jsQR reads them:
 * a 1080p frame would take jsQR far longer than the scan interval, and a code held up to the
 * camera keeps several pixels per module at this size.
 */
const MAX_SIDE = 800;

/** jsQR on a frame drawn to a canvas: Debian's Chromium and Firefox have no BarcodeDetector. */
function jsqrReader(): FrameReader {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!ctx || w === 0 || h === 0) return undefined;
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
    canvas.width = Math.max(1, Math.round(w * scale));
    canvas.height = Math.max(1, Math.round(h * scale));
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    return decodeQrPixels(ctx.getImageData(0, 0, canvas.width, canvas.height));
  };
}

async function frameReader(): Promise<FrameReader> {
  return (await nativeReader()) ?? jsqrReader();
}

/** Time between two reads: fast enough to feel instant, slow enough to leave a phone cool. */
export const SCAN_INTERVAL_MS = 150;

/**
 * Reads frames of `video` until a code is found (then calls `onCode` once) or the returned stop
 * function is called. The next read is scheduled only after the last one finished, so slow
 * devices never pile reads up.
 */
export function scanFrames(video: HTMLVideoElement, onCode: (text: string) => void): () => void {
  type Loop =
    | { readonly state: 'running'; timer?: ReturnType<typeof setTimeout> }
    | { readonly state: 'stopped' };
  let loop: Loop = { state: 'running' };
  const readerReady = frameReader();

  const tick = async (): Promise<void> => {
    if (loop.state !== 'running') return;
    let text: string | undefined;
    // HAVE_CURRENT_DATA: before it, the video has no frame to draw.
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      try {
        text = await (await readerReady)(video);
      } catch {
        // A frame that cannot be read (the camera just stopped, say) is skipped.
        text = undefined;
      }
    }
    if (loop.state !== 'running') return;
    if (text !== undefined) {
      loop = { state: 'stopped' };
      onCode(text);
      return;
    }
    loop.timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
  };
  void tick();

  return () => {
    if (loop.state === 'running' && loop.timer !== undefined) clearTimeout(loop.timer);
    loop = { state: 'stopped' };
  };
}
