import { scryptAsync } from '@noble/hashes/scrypt.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKUP_HEADER_LENGTH,
  BACKUP_LENGTH,
  exportIdentityBackup,
  importIdentityBackup,
} from './backup.ts';
import { concatBytes, toHex } from './bytes.ts';
import { ErrorCode, isPeerlineError } from './errors.ts';
import { generateIdentity, type Identity } from './identity.ts';

// Count KDF runs, to prove malformed files are rejected before any scrypt work.
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return { ...mod, scryptAsync: vi.fn(mod.scryptAsync) };
});
const kdfRuns = vi.mocked(scryptAsync);

const FAST = { N: 2 ** 10 } as const;
const PASS = 'correct horse battery staple';

async function failureCode(p: Promise<unknown>): Promise<number | string> {
  try {
    await p;
  } catch (e) {
    return isPeerlineError(e) ? e.code : String(e);
  }
  return 'no error';
}

function sameIdentity(a: Identity, b: Identity): void {
  expect(toHex(b.edSecretKey)).toBe(toHex(a.edSecretKey));
  expect(toHex(b.edPublicKey)).toBe(toHex(a.edPublicKey));
  expect(toHex(b.x25519.secretKey)).toBe(toHex(a.x25519.secretKey));
  expect(toHex(b.x25519.publicKey)).toBe(toHex(a.x25519.publicKey));
}

const id = generateIdentity();
const file = await exportIdentityBackup(id, PASS, FAST);

beforeEach(() => {
  kdfRuns.mockClear();
});

describe('identity backup', () => {
  it('has the documented layout and round-trips', async () => {
    expect(file.length).toBe(BACKUP_LENGTH);
    expect(BACKUP_LENGTH).toBe(85);
    expect(BACKUP_HEADER_LENGTH).toBe(36);
    expect(toHex(file.subarray(0, 8))).toBe('504c424b010a0801'); // "PLBK", v1, log2N 10, r 8, p 1
    sameIdentity(id, await importIdentityBackup(file, PASS));
    expect(kdfRuns).toHaveBeenCalledTimes(1);
  });
  it('uses fresh salt and nonce each time', async () => {
    const again = await exportIdentityBackup(id, PASS, FAST);
    expect(toHex(again.subarray(8, 36))).not.toBe(toHex(file.subarray(8, 36)));
  });
  it('defaults to N = 2^17, r = 8, p = 1 and reports progress', async () => {
    const seen: number[] = [];
    const slow = await exportIdentityBackup(id, PASS, { onProgress: (f) => seen.push(f) });
    expect(toHex(slow.subarray(4, 8))).toBe('01110801');
    expect(seen.at(-1)).toBe(1);
    sameIdentity(id, await importIdentityBackup(slow, PASS));
  });
  it('normalizes the passphrase with NFKC', async () => {
    const ligature = await exportIdentityBackup(id, '\ufb01sh e\u0301t\u00e9', FAST);
    sameIdentity(id, await importIdentityBackup(ligature, 'fish \u00e9te\u0301'));
  });
  it('rejects a wrong passphrase with AUTHENTICATION_FAILED', async () => {
    let caught: unknown;
    try {
      await importIdentityBackup(file, `${PASS}!`);
    } catch (e) {
      caught = e;
    }
    expect(isPeerlineError(caught, ErrorCode.AUTHENTICATION_FAILED)).toBe(true);
    expect(isPeerlineError(caught) && caught.detail).toBe('wrong passphrase or damaged file');
  });
  it('fails with a typed error for every single-bit flip', async () => {
    for (let bit = 0; bit < file.length * 8; bit++) {
      const byte = bit >> 3;
      const flipped = Uint8Array.from(file);
      flipped[byte] = (flipped[byte] ?? 0) ^ (1 << (bit & 7));
      const code = await failureCode(importIdentityBackup(flipped, PASS));
      if (byte < 5) {
        expect(code, `bit ${bit}`).toBe(ErrorCode.INVALID_FORMAT); // magic, version
      } else if (byte < 8) {
        // A KDF parameter: out of range, or in range and then the tag fails (it is in the AD).
        expect([ErrorCode.INVALID_FORMAT, ErrorCode.AUTHENTICATION_FAILED], `bit ${bit}`).toContain(
          code,
        );
      } else {
        expect(code, `bit ${bit}`).toBe(ErrorCode.AUTHENTICATION_FAILED); // salt, nonce, ct, tag
      }
    }
  });
  it('rejects truncated and extended files as INVALID_FORMAT without running the KDF', async () => {
    for (let len = 0; len < file.length; len++) {
      expect(await failureCode(importIdentityBackup(file.subarray(0, len), PASS))).toBe(
        ErrorCode.INVALID_FORMAT,
      );
    }
    const longer = concatBytes(file, new Uint8Array([0]));
    expect(await failureCode(importIdentityBackup(longer, PASS))).toBe(ErrorCode.INVALID_FORMAT);
    expect(kdfRuns).not.toHaveBeenCalled();
  });
  it('rejects absurd KDF parameters as INVALID_FORMAT without running the KDF', async () => {
    const cases: [number, number, number][] = [
      [9, 8, 1],
      [21, 8, 1],
      [255, 8, 1],
      [17, 0, 1],
      [17, 17, 1],
      [17, 8, 0],
      [17, 8, 5],
      [20, 16, 1], // 2 GiB of scrypt memory
    ];
    for (const [log2N, r, p] of cases) {
      const bad = Uint8Array.from(file);
      bad.set([log2N, r, p], 5);
      expect(await failureCode(importIdentityBackup(bad, PASS)), `${log2N}/${r}/${p}`).toBe(
        ErrorCode.INVALID_FORMAT,
      );
    }
    const wrongVersion = Uint8Array.from(file);
    wrongVersion[4] = 2;
    expect(await failureCode(importIdentityBackup(wrongVersion, PASS))).toBe(
      ErrorCode.INVALID_FORMAT,
    );
    expect(kdfRuns).not.toHaveBeenCalled();
  });
  it('refuses bad export options and an empty passphrase', async () => {
    for (const N of [1000, 2 ** 9, 2 ** 21]) {
      expect(await failureCode(exportIdentityBackup(id, PASS, { N }))).toMatch(/^RangeError/);
    }
    expect(await failureCode(exportIdentityBackup(id, '', FAST))).toBe(ErrorCode.INVALID_FORMAT);
    expect(kdfRuns).not.toHaveBeenCalled();
  });
});
