// Project Wycheproof aes_gcm_test.json, AES-256-GCM with a 96-bit IV and 128-bit tag (the
// Noise rev34 §12.4 AESGCM cipher), against both of Peerline's AES backends.
//
// The project's cipher API (noise/cipher.ts AeadKey, noise/cipher-state.ts CipherState) takes the
// Noise counter n, not an IV: the nonce is always 0x00000000 || big-endian n (§12.4,
// cipher-nonce.ts). No project function takes a raw 12-byte IV, so:
// 1. every case runs through WebCrypto subtle and noble `gcm` called exactly as
//    cipher-webcrypto.ts / cipher-noble.ts call them (raw key import, empty AAD left out);
// 2. cases whose IV has the Noise form (first 4 bytes zero) also run through CipherState;
// 3. the tag mutations of the ModifiedTag cases are replayed on such a case through CipherState;
// 4. the 128- and 192-bit key cases check that CipherState refuses those key sizes.

import { readFileSync } from 'node:fs';
import { gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../bytes.ts';
import { ErrorCode } from '../errors.ts';
import { type AesBackend, bufferSource } from '../noise/backend.ts';
import { cipherFunctions } from '../noise/cipher.ts';
import { CipherState } from '../noise/cipher-state.ts';
import { type AeadCase, parseAeadFile } from './vector-format.ts';

const file = parseAeadFile(
  JSON.parse(readFileSync(new URL('./vectors/aes_gcm_test.json', import.meta.url), 'utf8')),
);

const isNoiseSize = (c: AeadCase): boolean =>
  c.keySize === 256 && c.ivSize === 96 && c.tagSize === 128;
const ours = file.cases.filter(isNoiseSize);
const otherKeySizes = file.cases.filter((c) => !isNoiseSize(c));

const rows = (cases: readonly AeadCase[]): [string, AeadCase][] =>
  cases.map((c) => [`tcId ${c.tcId} [${c.flags.join(',')}] ${c.comment} (${c.result})`, c]);

const sealed = (c: AeadCase): string => toHex(concatBytes(c.ct, c.tag));

/** The Noise counter an IV stands for, if it has the §12.4 form 0x00000000 || BE64(n). */
function noiseCounter(iv: Uint8Array): bigint | undefined {
  if (iv.length !== 12 || iv[0] !== 0 || iv[1] !== 0 || iv[2] !== 0 || iv[3] !== 0) {
    return undefined;
  }
  return new DataView(iv.buffer, iv.byteOffset, iv.byteLength).getBigUint64(4, false);
}

// --- the two raw AES-GCM calls, as the backends make them -------------------------------------

interface RawAead {
  seal(c: AeadCase): Promise<Uint8Array>;
  open(c: AeadCase, sealedBytes: Uint8Array): Promise<Uint8Array>;
  /** Checks that `e` is this library's authentication failure, not some other error. */
  isAuthFailure(e: unknown): boolean;
}

async function importAes(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bufferSource(raw.slice()), { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
}

// cipher-webcrypto.ts leaves empty associated data out of the parameters.
function gcmParams(c: AeadCase): AesGcmParams {
  const iv = bufferSource(c.iv);
  return c.aad.length === 0
    ? { name: 'AES-GCM', iv }
    : { name: 'AES-GCM', iv, additionalData: bufferSource(c.aad) };
}

const RAW: Readonly<Record<AesBackend, RawAead>> = {
  webcrypto: {
    async seal(c) {
      const key = await importAes(c.key);
      return new Uint8Array(await crypto.subtle.encrypt(gcmParams(c), key, bufferSource(c.msg)));
    },
    async open(c, s) {
      const key = await importAes(c.key);
      return new Uint8Array(await crypto.subtle.decrypt(gcmParams(c), key, bufferSource(s)));
    },
    isAuthFailure: (e) => e instanceof DOMException && e.name === 'OperationError',
  },
  noble: {
    seal: async (c) => gcm(c.key, c.iv, c.aad).encrypt(c.msg),
    open: async (c, s) => gcm(c.key, c.iv, c.aad).decrypt(s),
    isAuthFailure: (e) => e instanceof Error && e.message === 'aes-gcm: invalid tag',
  },
};

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, got a result');
}

function thrown(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

// --- the project's own path ------------------------------------------------------------------

function keyed(backend: AesBackend, key: Uint8Array, n: bigint): CipherState {
  const cs = new CipherState(cipherFunctions('AESGCM', backend));
  cs.initializeKey(key);
  cs.setNonce(n);
  return cs;
}

describe('Wycheproof aes_gcm_test.json (trimmed copy)', () => {
  it('ships the whole keySize 256 / ivSize 96 / tagSize 128 group: tcIds 91..156', () => {
    expect(ours.map((c) => c.tcId)).toEqual(Array.from({ length: 66 }, (_, i) => 91 + i));
    expect(ours.filter((c) => c.result === 'valid')).toHaveLength(39);
    expect(ours.filter((c) => c.result === 'invalid')).toHaveLength(27);
    expect(ours.filter((c) => c.result === 'acceptable')).toHaveLength(0);
    // Every invalid case here is a modified tag; the mutation replay below relies on that.
    for (const c of ours) if (c.result === 'invalid') expect(c.flags).toEqual(['ModifiedTag']);
  });
});

describe.each<AesBackend>(['webcrypto', 'noble'])(
  'AES-256-GCM raw calls of the %s backend',
  (b) => {
    const raw = RAW[b];

    it.each(rows(ours.filter((c) => c.result === 'valid')))('%s', async (_n, c) => {
      expect(toHex(await raw.seal(c))).toBe(sealed(c));
      expect(toHex(await raw.open(c, concatBytes(c.ct, c.tag)))).toBe(toHex(c.msg));
    });

    it.each(rows(ours.filter((c) => c.result === 'invalid')))('%s', async (_n, c) => {
      // The vector really is wrong (not a copy of the right answer) ...
      expect(toHex(await raw.seal(c))).not.toBe(sealed(c));
      // ... and opening it fails with the library's authentication error.
      expect(raw.isAuthFailure(await rejection(raw.open(c, concatBytes(c.ct, c.tag))))).toBe(true);
    });
  },
);

describe.each<AesBackend>(['webcrypto', 'noble'])('CipherState (%s) on Wycheproof vectors', (b) => {
  const noiseForm = ours.filter((c) => noiseCounter(c.iv) !== undefined);

  it('the fixture has at least one valid case with a Noise-form IV (tcId 128, n = 0)', () => {
    expect(noiseForm.filter((c) => c.result === 'valid').map((c) => c.tcId)).toEqual([128]);
  });

  it.each(rows(noiseForm))('%s: EncryptWithAd / DecryptWithAd', async (_n, c) => {
    const n = noiseCounter(c.iv) ?? -1n;
    const out = await keyed(b, c.key, n).encryptWithAd(c.aad, c.msg);
    if (c.result === 'valid') {
      expect(toHex(out)).toBe(sealed(c));
      expect(toHex(await keyed(b, c.key, n).decryptWithAd(c.aad, out))).toBe(toHex(c.msg));
    } else {
      await expect(
        keyed(b, c.key, n).decryptWithAd(c.aad, concatBytes(c.ct, c.tag)),
      ).rejects.toMatchObject({ name: 'PeerlineError', code: ErrorCode.ENCRYPTION_ERROR });
    }
  });

  // Each ModifiedTag case differs from its group's correct tag by a bit mask; applying every
  // such mask to the tag of a Noise-form vector must make DecryptWithAd fail (tag fully checked).
  it('rejects every Wycheproof tag mutation (27 masks) with ENCRYPTION_ERROR, n unchanged', async () => {
    const base = noiseForm.find((c) => c.result === 'valid');
    if (base === undefined) throw new Error('no Noise-form vector');
    const n = noiseCounter(base.iv) ?? -1n;
    const masks = await Promise.all(
      ours
        .filter((c) => c.result === 'invalid')
        .map(async (c) => {
          const good = (await RAW.noble.seal(c)).subarray(c.ct.length);
          return good.map((g, i) => g ^ (c.tag[i] ?? 0));
        }),
    );
    expect(masks).toHaveLength(27);
    for (const mask of masks) {
      expect(mask.some((m) => m !== 0)).toBe(true);
      const cs = keyed(b, base.key, n);
      const tag = base.tag.map((t, i) => t ^ (mask[i] ?? 0));
      await expect(cs.decryptWithAd(base.aad, concatBytes(base.ct, tag))).rejects.toMatchObject({
        name: 'PeerlineError',
        code: ErrorCode.ENCRYPTION_ERROR,
      });
      expect(cs.nonce).toBe(n); // §5.1: a failed decrypt leaves n where it was
    }
  });

  it.each(rows(otherKeySizes))('%s: initializeKey refuses a non-256-bit key', (_n, c) => {
    const cs = new CipherState(cipherFunctions('AESGCM', b));
    expect(thrown(() => cs.initializeKey(c.key))).toMatchObject({
      name: 'PeerlineError',
      code: ErrorCode.INVALID_KEY,
    });
    expect(cs.hasKey()).toBe(false);
  });
});
