// CipherState (Noise rev34 §5.1): a key k (possibly empty) and a 64-bit nonce n.

import { wipe } from '../bytes.ts';
import { ErrorCode, PeerlineError } from '../errors.ts';
import { type AeadKey, type CipherFunctions, TAGLEN } from './cipher.ts';

/** §5.1: n = 2^64−1 is reserved; encrypting or decrypting with it is an error. */
export const MAX_NONCE = 2n ** 64n - 1n;
/** §3: every Noise message is at most 65535 bytes. */
export const MAX_MESSAGE_LEN = 65535;
/** Largest transport plaintext: the message limit minus the AEAD tag. */
export const MAX_PLAINTEXT_LEN = MAX_MESSAGE_LEN - TAGLEN;

const EMPTY = new Uint8Array(0);
const REKEY_ZEROS = new Uint8Array(32);
const SETTLED: Promise<unknown> = Promise.resolve();

type KeyState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'keyed'; readonly key: AeadKey }
  /** The unused direction of a one-way pattern (§7.4). */
  | { readonly kind: 'disabled' };

export class CipherState {
  private state: KeyState = { kind: 'empty' };
  private n = 0n;
  // Decrypts run one at a time: n only advances when one succeeds (§5.1), so the next decrypt
  // cannot pick its nonce before the previous one has settled.
  private pendingDecrypts = 0;
  private decryptTail: Promise<unknown> = SETTLED;

  constructor(readonly cipher: CipherFunctions) {}

  /** A CipherState that refuses every call: the direction a one-way pattern never uses. */
  static disabled(cipher: CipherFunctions): CipherState {
    const cs = new CipherState(cipher);
    cs.state = { kind: 'disabled' };
    return cs;
  }

  /** §5.1 InitializeKey(key): copies the 32-byte key (undefined = empty) and sets n = 0. */
  initializeKey(key: Uint8Array | undefined): void {
    this.assertNoPendingDecrypt();
    if (key !== undefined && key.length !== 32) {
      throw new PeerlineError(ErrorCode.INVALID_KEY, 'cipher key must be 32 bytes');
    }
    if (this.state.kind === 'keyed') this.state.key.wipe();
    this.state =
      key === undefined
        ? { kind: 'empty' }
        : { kind: 'keyed', key: this.cipher.createKey(key.slice()) };
    this.n = 0n;
  }

  /** §5.1 HasKey(). */
  hasKey(): boolean {
    return this.state.kind === 'keyed';
  }

  /** The next nonce to be used; the framing layer sends it as the frame sequence number. */
  get nonce(): bigint {
    return this.n;
  }

  /** §5.1 SetNonce(nonce). */
  setNonce(nonce: bigint): void {
    this.assertNoPendingDecrypt();
    if (nonce < 0n || nonce > MAX_NONCE) {
      throw new PeerlineError(ErrorCode.NONCE_EXHAUSTED, 'nonce out of the 64-bit range');
    }
    this.n = nonce;
  }

  /**
   * §5.1 EncryptWithAd(ad, plaintext). The nonce is reserved synchronously, so several calls may
   * be in flight at once and still get consecutive nonces in call order.
   */
  async encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const key = this.usableKey();
    if (key === undefined) {
      if (plaintext.length > MAX_MESSAGE_LEN) throw tooLarge();
      return plaintext;
    }
    if (plaintext.length > MAX_PLAINTEXT_LEN) throw tooLarge();
    const n = this.n;
    if (n >= MAX_NONCE) throw exhausted();
    this.n = n + 1n;
    try {
      return await key.encrypt(n, ad, plaintext);
    } catch (cause) {
      throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'encryption failed', { cause });
    }
  }

  /**
   * §5.1 DecryptWithAd(ad, ciphertext). On failure (ENCRYPTION_ERROR) neither n nor the key
   * changes, so the caller may drop the bad message and go on.
   */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    const idle = this.pendingDecrypts === 0;
    this.pendingDecrypts++;
    // The tail is the last decrypt itself (its caller handles its rejection); a queued decrypt
    // runs once it settles either way. No extra promise per message when they do not overlap,
    // and decryptNow drops the tail when the last one ends, so no plaintext stays reachable.
    let run: Promise<Uint8Array>;
    if (idle) run = this.decryptNow(ad, ciphertext);
    else {
      const next = (): Promise<Uint8Array> => this.decryptNow(ad, ciphertext);
      run = this.decryptTail.then(next, next);
    }
    if (this.pendingDecrypts > 0) this.decryptTail = run;
    return run;
  }

  /** Transport helpers: §5 says transport messages use zero-length associated data. */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.encryptWithAd(EMPTY, plaintext);
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.decryptWithAd(EMPTY, ciphertext);
  }

  /**
   * §5.1 Rekey() with §4.2 REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64−1, empty, 32 zeros).
   * n is unchanged (§11.3). The switch is immediate: calls made after rekey() use the new key even
   * before the returned promise settles. The old key is wiped once the new one is derived.
   */
  async rekey(): Promise<void> {
    this.assertNoPendingDecrypt();
    const st = this.state;
    if (st.kind !== 'keyed') {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'rekey needs a cipher key');
    }
    const old = st.key;
    const next = old.encrypt(MAX_NONCE, EMPTY, REKEY_ZEROS).then((ct) => {
      const k = ct.slice(0, 32);
      wipe(ct);
      old.wipe();
      return k;
    });
    this.state = { kind: 'keyed', key: this.cipher.createKey(next) };
    try {
      await next;
    } catch (cause) {
      throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'rekey failed', { cause });
    }
  }

  /**
   * An independent copy (same key and nonce) whose later use never affects this one. The session
   * layer decrypts a frame flagged "rekeyed" on a rekeyed clone and adopts the clone only if that
   * decrypt succeeds. Refused while a decrypt is pending, since n is not settled then.
   */
  clone(): CipherState {
    this.assertNoPendingDecrypt();
    const copy = new CipherState(this.cipher);
    const st = this.state;
    copy.state = st.kind === 'keyed' ? { kind: 'keyed', key: st.key.clone() } : st;
    copy.n = this.n;
    return copy;
  }

  /** Forgets the key for good (session end); later calls fail with UNEXPECTED_MESSAGE. */
  wipe(): void {
    if (this.state.kind === 'keyed') this.state.key.wipe();
    this.state = { kind: 'disabled' };
  }

  private async decryptNow(ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    try {
      const key = this.usableKey();
      if (key === undefined) {
        if (ciphertext.length > MAX_MESSAGE_LEN) throw tooLarge();
        return ciphertext;
      }
      if (ciphertext.length > MAX_MESSAGE_LEN) throw tooLarge();
      const n = this.n;
      if (n >= MAX_NONCE) throw exhausted();
      if (ciphertext.length < TAGLEN) {
        throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'ciphertext shorter than its tag');
      }
      let plaintext: Uint8Array;
      try {
        plaintext = await key.decrypt(n, ad, ciphertext);
      } catch (cause) {
        throw new PeerlineError(ErrorCode.ENCRYPTION_ERROR, 'decryption failed', { cause });
      }
      this.n = n + 1n;
      return plaintext;
    } finally {
      this.pendingDecrypts--;
      if (this.pendingDecrypts === 0) this.decryptTail = SETTLED;
    }
  }

  private usableKey(): AeadKey | undefined {
    const st = this.state;
    if (st.kind === 'disabled') {
      throw new PeerlineError(
        ErrorCode.UNEXPECTED_MESSAGE,
        'this direction carries no messages (one-way pattern) or the state was wiped',
      );
    }
    return st.kind === 'keyed' ? st.key : undefined;
  }

  private assertNoPendingDecrypt(): void {
    if (this.pendingDecrypts > 0) {
      throw new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'a decrypt is still pending');
    }
  }
}

function tooLarge(): PeerlineError {
  return new PeerlineError(
    ErrorCode.FRAME_TOO_LARGE,
    `Noise messages are limited to ${MAX_MESSAGE_LEN} bytes`,
  );
}

function exhausted(): PeerlineError {
  return new PeerlineError(ErrorCode.NONCE_EXHAUSTED, 'nonce 2^64-1 is reserved (Noise §5.1)');
}
