import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HashSnapshot } from '../peer/files/types.ts';
import { toHex, utf8 } from './bytes.ts';
import { createNobleSha256Stream, createSha256Stream, type Sha256Stream } from './sha256-stream.ts';
import { decodeWasmState, encodeWasmState, WASM_STATE_LENGTH } from './sha256-wasm-state.ts';

// FIPS 180-2 Appendix B.1–B.3 (B.3: one million 'a').
const VECTORS: [string, Uint8Array, string][] = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', utf8('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    '448 bits',
    utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [
    'a million a',
    new Uint8Array(1_000_000).fill(0x61),
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  ],
];

/** Feeds `data` in pieces cut at `cuts`, and through a snapshot → restore at every cut. */
async function hashInPieces(
  data: Uint8Array,
  cuts: number[],
  make: (from?: HashSnapshot) => Promise<Sha256Stream>,
): Promise<Uint8Array> {
  let h = await make();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    h.update(data.subarray(at, cut));
    at = cut;
    h = await make(h.snapshot());
  }
  h.update(data.subarray(at));
  return h.digest();
}

describe('Sha256Stream', () => {
  it('uses the WebAssembly implementation where WebAssembly exists (Node has it)', async () => {
    expect((await createSha256Stream()).impl).toBe('wasm');
  });

  it.each(VECTORS)(
    'FIPS 180-2 vector %s, in one update and through snapshots',
    async (_n, msg, hex) => {
      const h = await createSha256Stream();
      h.update(msg);
      expect(toHex(h.digest())).toBe(hex);
      const cuts = [1, 55, 56, 63, 64, 65, 999, 65_536].filter((c) => c <= msg.length);
      expect(toHex(await hashInPieces(msg, cuts, createSha256Stream))).toBe(hex);
    },
  );

  it('digest() leaves the stream usable: more data, then the digest of everything', async () => {
    const h = await createSha256Stream();
    h.update(utf8('ab'));
    expect(toHex(h.digest())).toBe(toHex(sha256(utf8('ab'))));
    h.update(utf8('c'));
    expect(toHex(h.digest())).toBe(VECTORS[1]?.[2]);
  });

  it('the snapshot of the WebAssembly stream equals noble’s, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const w = await createSha256Stream();
        expect(w.impl).toBe('wasm');
        const n = createNobleSha256Stream();
        w.update(data);
        n.update(data);
        expect(w.snapshot()).toEqual(n.snapshot());
      }),
    );
  });

  it('a checkpoint of one implementation resumes in the other (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.array(fc.nat({ max: 2_000 }), { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
        async (data, rawCuts, useWasm) => {
          const cuts = rawCuts.map((c) => c % (data.length + 1));
          expect((await createSha256Stream()).impl).toBe('wasm');
          let step = 0;
          const mixed = async (from?: HashSnapshot) =>
            useWasm[step++] ? createSha256Stream(from) : createNobleSha256Stream(from);
          expect(toHex(await hashInPieces(data, cuts, mixed))).toBe(toHex(sha256(data)));
        },
      ),
    );
  });

  it('a malformed snapshot is a RangeError, not a wrong digest', async () => {
    const good = (await createSha256Stream()).snapshot();
    await expect(createSha256Stream({ ...good, length: 3 })).rejects.toThrow(RangeError);
    await expect(createSha256Stream({ ...good, words: [1, 2, 3] })).rejects.toThrow(RangeError);
    await expect(
      createSha256Stream({ ...good, words: [...good.words.slice(1), 2 ** 32] }),
    ).rejects.toThrow(RangeError);
  });

  it('state layout: encoding a snapshot gives back hash-wasm’s own saved state, byte for byte', async () => {
    const { createSHA256 } = await import('hash-wasm');
    const template = (await createSHA256()).init().save();
    for (const n of [0, 1, 63, 64, 65, 130, 1_000]) {
      const hasher = (await createSHA256()).init();
      hasher.update(new Uint8Array(n).fill(9));
      const saved = hasher.save();
      const s = decodeWasmState(saved);
      expect(s).toEqual(createNobleSha256StreamOf(new Uint8Array(n).fill(9)));
      expect(encodeWasmState(template, s)).toEqual(saved);
    }
    expect(() => decodeWasmState(new Uint8Array(WASM_STATE_LENGTH - 1))).toThrow(RangeError);
  });
});

function createNobleSha256StreamOf(data: Uint8Array): HashSnapshot {
  const h = createNobleSha256Stream();
  h.update(data);
  return h.snapshot();
}
