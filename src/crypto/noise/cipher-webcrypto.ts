// AES-256-GCM through WebCrypto (Noise rev34 §12.4). The raw key is imported once into a
// non-extractable CryptoKey and then zeroed; every message reuses that CryptoKey.

import { wipe } from '../bytes.ts';
import { bufferSource, subtleCrypto } from './backend.ts';
import type { AeadKey, KeyMaterial } from './cipher.ts';
import { writeAesGcmNonce } from './cipher-nonce.ts';

// Looked up once: in a browser `globalThis.crypto` is a binding getter, and two calls per frame
// showed up in a profile of the transport.
let cachedSubtle: SubtleCrypto | undefined;

function subtle(): SubtleCrypto {
  if (cachedSubtle !== undefined) return cachedSubtle;
  const s = subtleCrypto();
  if (s === undefined) throw new Error('WebCrypto is not available; use the noble AES backend');
  cachedSubtle = s;
  return s;
}

async function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', bufferSource(raw), { name: 'AES-GCM' }, false, [
      'encrypt',
      'decrypt',
    ]);
  } finally {
    wipe(raw);
  }
}

/**
 * One nonce buffer for every call. WebCrypto copies the bytes of the algorithm's BufferSource
 * members (and of the data) while it normalizes the call, synchronously inside encrypt() and
 * decrypt() (WebCrypto §14.3.1–2, "get a copy of the bytes held by"), so the buffer is free
 * again once the call returns — and every caller writes it and calls in one synchronous step.
 * Off-heap from the start: a fresh 12-byte array lives inside the JS heap, and the bindings
 * would have to move it out (materialize its ArrayBuffer) on every call.
 */
const NONCE = new Uint8Array(new ArrayBuffer(12));

/**
 * Empty associated data (every transport message, §5) is left out rather than passed as an empty
 * buffer: the result is identical and WebCrypto is measurably faster without the extra copy.
 */
function gcmParams(n: bigint, ad: Uint8Array): AesGcmParams {
  const iv = writeAesGcmNonce(NONCE, n);
  return ad.length === 0
    ? { name: 'AES-GCM', iv }
    : { name: 'AES-GCM', iv, additionalData: bufferSource(ad) };
}

export class WebCryptoAesGcmKey implements AeadKey {
  private key: CryptoKey | undefined;
  private readonly ready: Promise<CryptoKey>;
  private wiped = false;

  static fromRaw(material: KeyMaterial): WebCryptoAesGcmKey {
    return new WebCryptoAesGcmKey(
      material instanceof Uint8Array ? importAesKey(material) : material.then(importAesKey),
    );
  }

  /** Clones share one CryptoKey promise: a CryptoKey is immutable and non-extractable. */
  private constructor(ready: Promise<CryptoKey>) {
    this.ready = ready;
    this.ready.then(
      (k) => {
        this.key = k;
      },
      () => undefined,
    );
  }

  private async cryptoKey(): Promise<CryptoKey> {
    const k = this.key ?? (await this.ready);
    if (this.wiped) throw new Error('cipher key was wiped');
    return k;
  }

  async encrypt(n: bigint, ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const key = this.key !== undefined && !this.wiped ? this.key : await this.cryptoKey();
    // gcmParams fills the shared NONCE: WebCrypto must be called in the same synchronous step.
    const pending = subtle().encrypt(gcmParams(n, ad), key, bufferSource(plaintext));
    return new Uint8Array(await pending);
  }

  async decrypt(n: bigint, ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    const key = this.key !== undefined && !this.wiped ? this.key : await this.cryptoKey();
    const pending = subtle().decrypt(gcmParams(n, ad), key, bufferSource(ciphertext));
    return new Uint8Array(await pending);
  }

  clone(): AeadKey {
    if (this.wiped) throw new Error('cipher key was wiped');
    return new WebCryptoAesGcmKey(this.ready);
  }

  /** A CryptoKey cannot be zeroed from JS; dropping our reference is all WebCrypto allows. */
  wipe(): void {
    this.wiped = true;
    this.key = undefined;
  }
}
