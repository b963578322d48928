// Backend selection. WebCrypto is the fast default (AES-GCM ~13x, X25519 ~8x faster than noble
// in Chromium); noble is the portable fallback and the cross-check in tests. Both produce
// byte-identical Noise messages.

export type AesBackend = 'webcrypto' | 'noble';
export type DhBackend = 'webcrypto' | 'noble';

export interface BackendOptions {
  readonly aes?: AesBackend;
  readonly dh?: DhBackend;
}

/** WebCrypto's SubtleCrypto, or undefined where the runtime has none (very old browsers). */
export function subtleCrypto(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

/**
 * WebCrypto only takes views over a plain ArrayBuffer. Our buffers are such views in practice,
 * so this is a zero-copy type narrowing; a SharedArrayBuffer view is copied.
 */
export function bufferSource(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u);
}

let x25519Probe: Promise<boolean> | undefined;

/**
 * Whether WebCrypto implements X25519 (Node ≥ 20, Chromium ≥ 133, Firefox ≥ 130, Safari ≥ 17).
 * Probed once by generating a key pair; the answer is cached for the process.
 */
export function webCryptoHasX25519(): Promise<boolean> {
  if (x25519Probe === undefined) {
    const subtle = subtleCrypto();
    x25519Probe =
      subtle === undefined
        ? Promise.resolve(false)
        : subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']).then(
            () => true,
            () => false,
          );
  }
  return x25519Probe;
}

/** Resolves the defaults: WebCrypto where the runtime has it, noble otherwise. */
export async function resolveBackends(
  opts: BackendOptions | undefined,
): Promise<{ aes: AesBackend; dh: DhBackend }> {
  const aes = opts?.aes ?? (subtleCrypto() === undefined ? 'noble' : 'webcrypto');
  const dh = opts?.dh ?? ((await webCryptoHasX25519()) ? 'webcrypto' : 'noble');
  return { aes, dh };
}
