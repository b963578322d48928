// Reads a QR code from a picture the user chose or from a camera frame. jsQR is loaded only when
// a picture is chosen or the camera is opened, so it never weighs on the first screen.

export type QrDecodeResult =
  | { readonly kind: 'found'; readonly text: string }
  /** The picture was read, but no QR code was found in it. */
  | { readonly kind: 'none' }
  /** The browser could not read the file as a picture. */
  | { readonly kind: 'unreadable' };

/**
 * Larger pictures are scaled down to this many pixels on their longer side: phone photos are
 * 12+ megapixels, which makes jsQR slow, and a code that fills a fair part of the frame still has
 * several pixels per module at this size.
 */
const MAX_SIDE = 1600;

async function pixelsOf(file: Blob): Promise<ImageData | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return undefined;
    // Transparent pixels read as black: a white ground keeps a transparent PNG's code visible.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  } finally {
    bitmap.close();
  }
}

/**
 * Finds a QR code in pixels already drawn (a picture, or one camera frame). jsQR loads on the
 * first call only.
 */
export async function decodeQrPixels(pixels: ImageData): Promise<string | undefined> {
  const { default: jsQR } = await import('jsqr');
  // 'attemptBoth': light-on-dark codes (a screenshot of a dark theme) are found too.
  const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
  return code && code.data !== '' ? code.data : undefined;
}

export async function decodeQrImage(file: Blob): Promise<QrDecodeResult> {
  const pixels = await pixelsOf(file);
  if (!pixels) return { kind: 'unreadable' };
  const text = await decodeQrPixels(pixels);
  return text === undefined ? { kind: 'none' } : { kind: 'found', text };
}
