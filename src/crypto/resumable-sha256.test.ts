import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from './bytes.ts';
import { ResumableSha256 } from './resumable-sha256.ts';

// FIPS 180-2 Appendix B / NIST CAVP short-message examples.
const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
];

describe('ResumableSha256', () => {
  it.each(VECTORS)('NIST vector %j', (msg, hex) => {
    const h = new ResumableSha256();
    h.update(utf8(msg));
    expect(toHex(h.digest())).toBe(hex);
  });

  it.each(VECTORS)('NIST vector %j through a snapshot after every byte', (msg, hex) => {
    let h = new ResumableSha256();
    for (const b of utf8(msg)) {
      h.update(new Uint8Array([b]));
      h = ResumableSha256.restore(h.snapshot());
    }
    expect(toHex(h.digest())).toBe(hex);
  });

  it('a snapshot is plain data: words unsigned, pending = length mod 64', () => {
    const h = new ResumableSha256();
    h.update(new Uint8Array(70).fill(7));
    const s = h.snapshot();
    expect(s.length).toBe(70);
    expect(s.pending).toEqual(new Uint8Array(6).fill(7));
    expect(s.words).toHaveLength(8);
    for (const w of s.words) expect(w >= 0 && w <= 0xffffffff && Number.isInteger(w)).toBe(true);
    // The snapshot does not alias the hash's buffer.
    h.update(new Uint8Array(10));
    expect(s.pending).toEqual(new Uint8Array(6).fill(7));
  });

  it('rejects malformed snapshots', () => {
    const good = new ResumableSha256().update(new Uint8Array(3)).snapshot();
    expect(() => ResumableSha256.restore({ ...good, words: [1, 2, 3] })).toThrow(RangeError);
    expect(() => ResumableSha256.restore({ ...good, words: [...good.words.slice(1), -1] })).toThrow(
      RangeError,
    );
    expect(() => ResumableSha256.restore({ ...good, length: 4 })).toThrow(RangeError);
    expect(() => ResumableSha256.restore({ ...good, length: 1.5 })).toThrow(RangeError);
  });

  it('random splits with snapshot/restore give the digest of sha256()', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
        (data, cuts, restoreAt) => {
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((x, y) => x - y);
          let h = new ResumableSha256();
          let prev = 0;
          points.push(data.length);
          points.forEach((p, i) => {
            h.update(data.subarray(prev, p));
            prev = p;
            if (restoreAt[i]) h = ResumableSha256.restore(h.snapshot());
          });
          expect(toHex(h.digest())).toBe(toHex(sha256(data)));
        },
      ),
    );
  });
});
