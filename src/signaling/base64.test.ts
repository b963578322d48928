import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, isBase64, toBase64 } from './base64.ts';

const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

describe('isBase64 (the Worker’s per-signal syntax check)', () => {
  it('accepts every encoding of bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => isBase64(toBase64(b))));
  });
  it('agrees with the canonical grammar on arbitrary strings over the alphabet', () => {
    const ch = fc.constantFrom(...'AZaz09+/=-_ '.split(''));
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 12 }), (cs) => {
        const s = cs.join('');
        expect(isBase64(s)).toBe(CANONICAL.test(s));
      }),
      { numRuns: 5000 },
    );
  });
  it('rejects wrong padding and length', () => {
    for (const s of ['A===', 'AA=A', 'AAA', 'AAAAA', '=AAA', 'AA==AA==']) {
      expect(isBase64(s)).toBe(false);
      expect(fromBase64(s)).toBeUndefined();
    }
  });
});
