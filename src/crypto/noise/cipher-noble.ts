// noble AEADs (Noise rev34 §12.3 ChaChaPoly, §12.4 AESGCM). noble is synchronous; the async
// wrapper only exists so both backends share the AeadKey interface.

import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { wipe } from '../bytes.ts';
import type { AeadKey, KeyMaterial } from './cipher.ts';
import { aesGcmNonce, chachaNonce } from './cipher-nonce.ts';

type Aead = (
  key: Uint8Array,
  nonce: Uint8Array,
  ad: Uint8Array,
) => {
  encrypt(p: Uint8Array): Uint8Array;
  decrypt(c: Uint8Array): Uint8Array;
};

abstract class NobleKey implements AeadKey {
  // `bytes` is set as soon as the key is known, so the common path never awaits: a noble
  // operation then finishes within the call, before any later rekey can wipe the bytes.
  private bytes: Uint8Array | undefined;
  private readonly ready: Promise<Uint8Array>;
  private wiped = false;

  constructor(key: KeyMaterial) {
    if (key instanceof Uint8Array) {
      this.bytes = key;
      this.ready = Promise.resolve(key);
    } else {
      this.ready = key.then((b) => {
        if (this.wiped) wipe(b);
        else this.bytes = b;
        return b;
      });
      this.ready.catch(() => undefined);
    }
  }

  protected abstract aead: Aead;
  protected abstract nonce(n: bigint): Uint8Array;
  protected abstract make(key: KeyMaterial): NobleKey;

  private async key(): Promise<Uint8Array> {
    const k = this.bytes ?? (await this.ready);
    if (this.wiped) throw new Error('cipher key was wiped');
    return k;
  }

  async encrypt(n: bigint, ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const k = this.bytes !== undefined && !this.wiped ? this.bytes : await this.key();
    return this.aead(k, this.nonce(n), ad).encrypt(plaintext);
  }

  async decrypt(n: bigint, ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    const k = this.bytes !== undefined && !this.wiped ? this.bytes : await this.key();
    return this.aead(k, this.nonce(n), ad).decrypt(ciphertext);
  }

  clone(): AeadKey {
    if (this.wiped) throw new Error('cipher key was wiped');
    return this.make(
      this.bytes !== undefined ? this.bytes.slice() : this.key().then((b) => b.slice()),
    );
  }

  wipe(): void {
    this.wiped = true;
    if (this.bytes !== undefined) wipe(this.bytes);
  }
}

export class NobleAesGcmKey extends NobleKey {
  protected aead: Aead = gcm;
  protected nonce(n: bigint): Uint8Array {
    return aesGcmNonce(n);
  }
  protected make(key: KeyMaterial): NobleKey {
    return new NobleAesGcmKey(key);
  }
}

export class NobleChaChaKey extends NobleKey {
  protected aead: Aead = chacha20poly1305;
  protected nonce(n: bigint): Uint8Array {
    return chachaNonce(n);
  }
  protected make(key: KeyMaterial): NobleKey {
    return new NobleChaChaKey(key);
  }
}
