import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, Reassembler, splitPieces } from './reassembly.ts';

describe('MORE reassembly', () => {
  it('joins pieces until a piece without MORE', () => {
    const r = new Reassembler();
    expect(r.push(new Uint8Array([1, 2]), true)).toEqual({ kind: 'partial' });
    expect(r.push(new Uint8Array([3]), true)).toEqual({ kind: 'partial' });
    expect(r.push(new Uint8Array([4]), false)).toEqual({
      kind: 'complete',
      content: new Uint8Array([1, 2, 3, 4]),
    });
    expect(r.buffered).toBe(0);
  });

  it('single-piece messages leave nothing behind (the size counter restarts)', () => {
    const r = new Reassembler(10);
    for (let i = 0; i < 5; i++) expect(r.push(new Uint8Array(8), false).kind).toBe('complete');
    expect(r.buffered).toBe(0);
    expect(r.push(new Uint8Array([1]), true).kind).toBe('partial');
    expect(r.push(new Uint8Array([2]), false)).toEqual({
      kind: 'complete',
      content: new Uint8Array([1, 2]),
    });
  });

  it('fails with 1008 once the message passes 1 MiB, and forgets it', () => {
    const r = new Reassembler();
    const piece = new Uint8Array(65_000);
    let code: number | undefined;
    try {
      for (let i = 0; i < 20; i++) r.push(piece, true);
    } catch (e) {
      code = (e as { code: number }).code;
    }
    expect(code).toBe(1008);
    expect(r.buffered).toBe(0);
  });

  it('accepts exactly 1 MiB', () => {
    const r = new Reassembler();
    r.push(new Uint8Array(MAX_MESSAGE_BYTES - 1), true);
    expect(r.push(new Uint8Array(1), false).kind).toBe('complete');
  });

  it('splits into pieces of the given size', () => {
    expect(splitPieces(new Uint8Array(10), 4).map((p) => p.length)).toEqual([4, 4, 2]);
    expect(splitPieces(new Uint8Array(0), 4).map((p) => p.length)).toEqual([0]);
    expect(() => splitPieces(new Uint8Array(MAX_MESSAGE_BYTES + 1), 65_000)).toThrow(
      expect.objectContaining({ code: 1008 }),
    );
  });
});
