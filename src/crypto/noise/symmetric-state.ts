// SymmetricState (Noise rev34 §5.2): chaining key ck, handshake hash h and one CipherState.

import { wipe } from '../bytes.ts';
import { ErrorCode, isPeerlineError, PeerlineError } from '../errors.ts';
import type { CipherFunctions } from './cipher.ts';
import { CipherState } from './cipher-state.ts';
import { HASHLEN, hash, hash2, hkdf } from './hash.ts';

export class SymmetricState {
  private ck: Uint8Array;
  private h: Uint8Array;
  private readonly cs: CipherState;

  /** §5.2 InitializeSymmetric(protocol_name). */
  constructor(
    protocolName: Uint8Array,
    private readonly cipher: CipherFunctions,
  ) {
    if (protocolName.length <= HASHLEN) {
      this.h = new Uint8Array(HASHLEN);
      this.h.set(protocolName);
    } else {
      this.h = hash(protocolName);
    }
    this.ck = this.h.slice();
    this.cs = new CipherState(cipher);
  }

  /** §5.2 MixKey(input_key_material). HASHLEN is 32, so temp_k needs no truncation. */
  mixKey(ikm: Uint8Array): void {
    const [ck, tempK] = hkdf(this.ck, ikm, 2);
    this.replaceCk(ck);
    this.cs.initializeKey(tempK);
    wipe(tempK);
  }

  /** §5.2 MixHash(data): h = HASH(h || data). */
  mixHash(data: Uint8Array): void {
    this.h = hash2(this.h, data);
  }

  /** §5.2 MixKeyAndHash(input_key_material), used for `psk` tokens (§9.2). */
  mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, tempH, tempK] = hkdf(this.ck, ikm, 3);
    this.replaceCk(ck);
    this.mixHash(tempH);
    this.cs.initializeKey(tempK);
    wipe(tempH, tempK);
  }

  /** §5.2 GetHandshakeHash(). Returns a copy. */
  handshakeHash(): Uint8Array {
    return this.h.slice();
  }

  hasKey(): boolean {
    return this.cs.hasKey();
  }

  /** §5.2 EncryptAndHash(plaintext). */
  async encryptAndHash(plaintext: Uint8Array): Promise<Uint8Array> {
    const ciphertext = await this.cs.encryptWithAd(this.h, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  /** §5.2 DecryptAndHash(ciphertext). An AEAD failure here fails the handshake. */
  async decryptAndHash(ciphertext: Uint8Array): Promise<Uint8Array> {
    let plaintext: Uint8Array;
    try {
      plaintext = await this.cs.decryptWithAd(this.h, ciphertext);
    } catch (cause) {
      if (isPeerlineError(cause, ErrorCode.ENCRYPTION_ERROR)) {
        throw new PeerlineError(
          ErrorCode.HANDSHAKE_FAILED,
          'handshake message failed to authenticate',
          {
            cause,
          },
        );
      }
      throw cause;
    }
    this.mixHash(ciphertext);
    return plaintext;
  }

  /**
   * §5.2 Split(): two CipherStates from HKDF(ck, zerolen, 2); c1 carries initiator → responder.
   * ck is wiped afterwards: the symmetric state is finished.
   */
  split(): [CipherState, CipherState] {
    const [k1, k2] = hkdf(this.ck, new Uint8Array(0), 2);
    const c1 = new CipherState(this.cipher);
    const c2 = new CipherState(this.cipher);
    c1.initializeKey(k1);
    c2.initializeKey(k2);
    wipe(k1, k2, this.ck);
    this.cs.wipe();
    return [c1, c2];
  }

  private replaceCk(ck: Uint8Array): void {
    wipe(this.ck);
    this.ck = ck;
  }
}
