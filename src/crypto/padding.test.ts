import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.ts';
import { ErrorCode, isPeerlineError } from './errors.ts';
import { MAX_PADDED_LENGTH, pad, paddedLength, padInPlace, padme, unpad } from './padding.ts';

/** Algorithm 1 of the Padmé paper, transcribed literally with 32-bit bit operations. */
function padmeReference(L: number): number {
  const E = Math.floor(Math.log2(L));
  const S = Math.floor(Math.log2(E)) + 1;
  const lastBits = E - S;
  const bitMask = (1 << lastBits) - 1;
  return (L + bitMask) & ~bitMask;
}

function codeOf(fn: () => unknown): number | string {
  try {
    fn();
  } catch (e) {
    return isPeerlineError(e) ? e.code : String(e);
  }
  return 'no error';
}

describe('paddedLength', () => {
  it('gives the known buckets', () => {
    expect(paddedLength(0)).toBe(256);
    expect(paddedLength(1)).toBe(256);
    expect(paddedLength(255)).toBe(256);
    expect(paddedLength(256)).toBe(272); // padme(257): E = 8, S = 4, multiples of 16
    expect(paddedLength(271)).toBe(272);
    expect(paddedLength(272)).toBe(288);
    expect(paddedLength(999)).toBe(1024); // E = 9, S = 4, multiples of 32
    expect(paddedLength(4999)).toBe(5120); // E = 12, S = 4, multiples of 256
    expect(paddedLength(39999)).toBe(40960); // E = 15, S = 4, multiples of 2048
    expect(paddedLength(63487)).toBe(63488);
    expect(paddedLength(63488)).toBe(MAX_PADDED_LENGTH); // padme = 65536, capped
    expect(paddedLength(MAX_PADDED_LENGTH - 1)).toBe(MAX_PADDED_LENGTH);
  });
  it('rejects content that cannot fit with its marker', () => {
    expect(codeOf(() => paddedLength(MAX_PADDED_LENGTH))).toBe(ErrorCode.FRAME_TOO_LARGE);
    expect(codeOf(() => paddedLength(100, 100))).toBe(ErrorCode.FRAME_TOO_LARGE);
    expect(paddedLength(99, 100)).toBe(100);
  });
  it('honours a larger max and uses Padmé beyond 2^16', () => {
    expect(paddedLength(1_000_000, 2 ** 30)).toBe(1_015_808); // E = 19, S = 5, multiples of 16384
  });
  it('agrees with the paper’s Algorithm 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 30 }), (L) => {
        expect(padme(L)).toBe(padmeReference(L));
      }),
      { numRuns: 2000 },
    );
  });
  it('costs at most 12 % for every n ≥ 256 up to the frame limit, and never shrinks', () => {
    // Plain comparisons in the 65k-step loop; one assertion on the outcome keeps it fast.
    let previous = 0;
    let worst = 0;
    const broken: number[] = [];
    for (let n = 256; n < MAX_PADDED_LENGTH; n++) {
      const p = paddedLength(n);
      if (p <= n || p < previous) broken.push(n);
      worst = Math.max(worst, (p - n) / n);
      previous = p;
    }
    expect(broken).toEqual([]);
    expect(worst).toBeLessThanOrEqual(0.12);
  });
  it('costs at most 12 % for large n too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 256, max: 2 ** 40 }), (n) => {
        expect((paddedLength(n, 2 ** 41) - n) / n).toBeLessThanOrEqual(0.12);
      }),
    );
  });
});

describe('pad / unpad', () => {
  it('writes content, 0x80, then zeros', () => {
    const p = pad(new Uint8Array([1, 2, 3]));
    expect(p.length).toBe(256);
    expect(toHex(p.subarray(0, 5))).toBe('0102038000');
    expect(p.subarray(4).every((b) => b === 0)).toBe(true);
  });
  it('unpad returns a view into the padded buffer', () => {
    const p = pad(new Uint8Array([9, 0, 0x80, 0]));
    const u = unpad(p);
    expect(toHex(u)).toBe('09008000');
    expect(u.buffer).toBe(p.buffer);
  });
  it('round-trips arbitrary content, including trailing zeros and 0x80 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (content) => {
        const p = pad(content);
        expect(p.length).toBe(paddedLength(content.length));
        expect(toHex(unpad(p))).toBe(toHex(content));
      }),
      { numRuns: 300 },
    );
  });
  it('round-trips the largest content one frame holds', () => {
    const content = new Uint8Array(MAX_PADDED_LENGTH - 1).fill(0x80);
    expect(unpad(pad(content)).length).toBe(MAX_PADDED_LENGTH - 1);
    expect(codeOf(() => pad(new Uint8Array(MAX_PADDED_LENGTH)))).toBe(ErrorCode.FRAME_TOO_LARGE);
  });
  it('rejects a missing marker with INVALID_FORMAT', () => {
    expect(codeOf(() => unpad(new Uint8Array(0)))).toBe(ErrorCode.INVALID_FORMAT);
    expect(codeOf(() => unpad(new Uint8Array(256)))).toBe(ErrorCode.INVALID_FORMAT);
    expect(codeOf(() => unpad(new Uint8Array([1, 2, 0x81, 0])))).toBe(ErrorCode.INVALID_FORMAT);
  });
  it('throws nothing but INVALID_FORMAT for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const outcome = codeOf(() => unpad(bytes));
        expect(outcome === 'no error' || outcome === ErrorCode.INVALID_FORMAT).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('padInPlace', () => {
  it('gives the bytes of pad() in a dirty buffer that already holds the content', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 255 }),
        (content, dirt) => {
          const len = paddedLength(content.length);
          const buf = new Uint8Array(len).fill(dirt);
          buf.set(content);
          expect(toHex(padInPlace(buf, content.length))).toBe(toHex(pad(content)));
        },
      ),
      { numRuns: 200 },
    );
  });
  it('refuses content that leaves no room for the marker', () => {
    expect(() => padInPlace(new Uint8Array(4), 4)).toThrow(RangeError);
    expect(() => padInPlace(new Uint8Array(4), -1)).toThrow(RangeError);
  });
});
