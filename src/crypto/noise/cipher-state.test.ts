import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import type { AesBackend } from './backend.ts';
import { cipherFunctions } from './cipher.ts';
import { aesGcmNonce, chachaNonce } from './cipher-nonce.ts';
import { CipherState, MAX_NONCE, MAX_PLAINTEXT_LEN } from './cipher-state.ts';
import type { CipherName } from './protocol.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const SUITES: [CipherName, AesBackend][] = [
  ['AESGCM', 'webcrypto'],
  ['AESGCM', 'noble'],
  ['ChaChaPoly', 'noble'],
];

function pair(name: CipherName, aes: AesBackend): [CipherState, CipherState] {
  const a = new CipherState(cipherFunctions(name, aes));
  const b = new CipherState(cipherFunctions(name, aes));
  a.initializeKey(KEY);
  b.initializeKey(KEY);
  return [a, b];
}

const msg = (n: number): Uint8Array => new Uint8Array([n, n, n]);

describe.each(SUITES)('CipherState %s (%s)', (name, aes) => {
  it('uses the spec nonce layout (§12.3 little-endian, §12.4 big-endian)', async () => {
    const [a] = pair(name, aes);
    a.setNonce(0x0102030405n);
    const ct = await a.encryptWithAd(new Uint8Array([9]), msg(1));
    const nonce = name === 'AESGCM' ? aesGcmNonce(0x0102030405n) : chachaNonce(0x0102030405n);
    const ref = (name === 'AESGCM' ? gcm : chacha20poly1305)(
      KEY,
      nonce,
      new Uint8Array([9]),
    ).encrypt(msg(1));
    expect(ct).toEqual(ref);
    expect(a.nonce).toBe(0x0102030406n);
  });

  it('a tampered ciphertext or tag fails, leaves n alone, and the real one still decrypts', async () => {
    const [a, b] = pair(name, aes);
    const ct = await a.encrypt(msg(7));
    for (const pos of [0, ct.length - 1]) {
      const bad = ct.slice();
      bad[pos] = (bad[pos] ?? 0) ^ 1;
      await expect(b.decrypt(bad)).rejects.toMatchObject({ code: ErrorCode.ENCRYPTION_ERROR });
      expect(b.nonce).toBe(0n);
    }
    await expect(b.decrypt(ct.subarray(0, 15))).rejects.toMatchObject({
      code: ErrorCode.ENCRYPTION_ERROR,
    });
    await expect(b.decryptWithAd(new Uint8Array([1]), ct)).rejects.toMatchObject({
      code: ErrorCode.ENCRYPTION_ERROR,
    });
    expect(b.nonce).toBe(0n);
    expect(await b.decrypt(ct)).toEqual(msg(7));
    expect(b.nonce).toBe(1n);
  });

  it('n = 2^64-1 is reserved: encrypt and decrypt throw NONCE_EXHAUSTED', async () => {
    const [a, b] = pair(name, aes);
    a.setNonce(MAX_NONCE - 1n);
    b.setNonce(MAX_NONCE - 1n);
    expect(await b.decrypt(await a.encrypt(msg(1)))).toEqual(msg(1));
    expect(a.nonce).toBe(MAX_NONCE);
    await expect(a.encrypt(msg(2))).rejects.toMatchObject({ code: ErrorCode.NONCE_EXHAUSTED });
    await expect(b.decrypt(new Uint8Array(19))).rejects.toMatchObject({
      code: ErrorCode.NONCE_EXHAUSTED,
    });
    expect(() => a.setNonce(MAX_NONCE + 1n)).toThrow(
      expect.objectContaining({ code: ErrorCode.NONCE_EXHAUSTED }),
    );
  });

  it('messages over 65535 bytes throw FRAME_TOO_LARGE', async () => {
    const [a, b] = pair(name, aes);
    await expect(a.encrypt(new Uint8Array(MAX_PLAINTEXT_LEN + 1))).rejects.toMatchObject({
      code: ErrorCode.FRAME_TOO_LARGE,
    });
    expect(a.nonce).toBe(0n);
    const big = await a.encrypt(new Uint8Array(MAX_PLAINTEXT_LEN));
    expect(big.length).toBe(65535);
    expect((await b.decrypt(big)).length).toBe(MAX_PLAINTEXT_LEN);
    await expect(b.decrypt(new Uint8Array(65536))).rejects.toMatchObject({
      code: ErrorCode.FRAME_TOO_LARGE,
    });
  });

  it('REKEY matches §4.2: k = first 32 bytes of ENCRYPT(k, 2^64-1, empty, zeros)', async () => {
    const [a] = pair(name, aes);
    a.setNonce(5n);
    await a.rekey();
    expect(a.nonce).toBe(5n);
    const aead = name === 'AESGCM' ? gcm : chacha20poly1305;
    const maxNonce = name === 'AESGCM' ? aesGcmNonce(MAX_NONCE) : chachaNonce(MAX_NONCE);
    const k2 = aead(KEY, maxNonce, new Uint8Array(0)).encrypt(new Uint8Array(32)).slice(0, 32);
    const nonce = name === 'AESGCM' ? aesGcmNonce(5n) : chachaNonce(5n);
    expect(await a.encrypt(msg(3))).toEqual(aead(k2, nonce, new Uint8Array(0)).encrypt(msg(3)));
  });

  it('rekey changes the ciphertext; both sides rekeying stay in sync, one side alone does not', async () => {
    const [a, b] = pair(name, aes);
    const before = await a.clone().encrypt(msg(4));
    await a.rekey();
    const after = await a.encrypt(msg(4));
    expect(after).not.toEqual(before);
    await expect(b.decrypt(after)).rejects.toMatchObject({ code: ErrorCode.ENCRYPTION_ERROR });
    await b.rekey();
    expect(await b.decrypt(after)).toEqual(msg(4));
    await a.rekey();
    await b.rekey();
    expect(await b.decrypt(await a.encrypt(msg(5)))).toEqual(msg(5));
  });

  it('clone() is independent of the original', async () => {
    const [a, b] = pair(name, aes);
    const ct0 = await a.encrypt(msg(0));
    const copy = b.clone();
    expect(await b.decrypt(ct0)).toEqual(msg(0));
    expect(copy.nonce).toBe(0n);
    await copy.rekey();
    await expect(copy.decrypt(ct0)).rejects.toMatchObject({ code: ErrorCode.ENCRYPTION_ERROR });
    expect(await b.decrypt(await a.encrypt(msg(1)))).toEqual(msg(1));
    const c2 = b.clone();
    c2.setNonce(99n);
    expect(b.nonce).toBe(2n);
    b.wipe();
    await expect(b.encrypt(msg(2))).rejects.toMatchObject({ code: ErrorCode.UNEXPECTED_MESSAGE });
    expect(await c2.encrypt(msg(2))).toHaveLength(19);
  });

  it('pipelined encrypts get consecutive nonces; queued decrypts apply in order', async () => {
    const [a, b] = pair(name, aes);
    const cts = await Promise.all([0, 1, 2, 3].map((i) => a.encrypt(msg(i))));
    expect(a.nonce).toBe(4n);
    const bad = cts[1]?.slice() ?? new Uint8Array(0);
    bad[0] = (bad[0] ?? 0) ^ 1;
    const results = await Promise.allSettled([
      b.decrypt(cts[0] ?? bad),
      b.decrypt(bad),
      b.decrypt(cts[1] ?? bad),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(b.nonce).toBe(2n);
    const pending = b.decrypt(cts[2] ?? bad);
    expect(() => b.clone()).toThrow(
      expect.objectContaining({ code: ErrorCode.UNEXPECTED_MESSAGE }),
    );
    expect(await pending).toEqual(msg(2));
    expect(b.clone().nonce).toBe(3n);
  });
});

describe('CipherState without a key (§5.1)', () => {
  it('passes data through and cannot rekey', async () => {
    const cs = new CipherState(cipherFunctions('AESGCM', 'noble'));
    expect(cs.hasKey()).toBe(false);
    expect(await cs.encrypt(msg(1))).toEqual(msg(1));
    await expect(cs.rekey()).rejects.toMatchObject({ code: ErrorCode.UNEXPECTED_MESSAGE });
    expect(() => cs.initializeKey(new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_KEY }),
    );
  });
});
