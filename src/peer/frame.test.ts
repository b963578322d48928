import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPeerlineError, PeerlineError } from '../crypto/errors.ts';
import {
  checkFrameInState,
  encodeFrame,
  encodeHandshakeFrame,
  encodeHeader,
  FRESH_FRAME_MAX,
  FrameBuffers,
  FrameFlag,
  FrameType,
  MAX_FRAME_LENGTH,
  parseFrame,
  writeHeader,
} from './frame.ts';

function frame(
  fields: Partial<{
    version: number;
    type: number;
    flags: number;
    rsv: number;
    seq: bigint;
    length: number;
  }>,
  body = new Uint8Array(4),
): Uint8Array {
  const out = new Uint8Array(16 + body.length);
  const v = new DataView(out.buffer);
  v.setUint8(0, fields.version ?? 1);
  v.setUint8(1, fields.type ?? FrameType.MESSAGE);
  v.setUint8(2, fields.flags ?? 0);
  v.setUint8(3, fields.rsv ?? 0);
  v.setBigUint64(4, fields.seq ?? 0n);
  v.setUint32(12, fields.length ?? body.length);
  out.set(body, 16);
  return out;
}

function codeOf(f: () => unknown): number | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof PeerlineError) return e.code;
    throw e;
  }
}

describe('frame header', () => {
  it('encodes the layout of PROTOCOL.md §3.4 byte for byte', () => {
    const h = encodeHeader({ version: 1, type: FrameType.MESSAGE, flags: 0, seq: 0n, length: 272 });
    expect([...h]).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x10]);
    const h2 = encodeHeader({
      version: 7,
      type: FrameType.BINARY,
      flags: FrameFlag.REKEYED,
      seq: 0x0102030405060708n,
      length: 0xfedc,
    });
    expect([...h2]).toEqual([7, 3, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0xfe, 0xdc]);
  });

  it('round-trips through parseFrame', () => {
    const body = new Uint8Array([9, 8, 7]);
    const header = encodeHeader({
      version: 1,
      type: FrameType.MESSAGE,
      flags: FrameFlag.MORE,
      seq: 42n,
      length: 3,
    });
    const p = parseFrame(encodeFrame(header, body), 1);
    expect(p.header).toEqual({ version: 1, type: 2, flags: 4, seq: 42n, length: 3 });
    expect([...p.body]).toEqual([9, 8, 7]);
    expect([...p.headerBytes]).toEqual([...header]);
  });

  it('encodes handshake frames with version 1, no flags and seq = index', () => {
    const f = encodeHandshakeFrame(2, new Uint8Array([1, 2]));
    expect([...f]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2]);
  });

  it('refuses to encode flags a type may not carry', () => {
    expect(
      codeOf(() =>
        encodeHeader({
          version: 1,
          type: FrameType.BINARY,
          flags: FrameFlag.MORE,
          seq: 0n,
          length: 0,
        }),
      ),
    ).toBe(1000);
    expect(
      codeOf(() =>
        encodeHeader({
          version: 1,
          type: FrameType.HANDSHAKE,
          flags: FrameFlag.REKEYED,
          seq: 0n,
          length: 0,
        }),
      ),
    ).toBe(1000);
  });
});

describe('writeHeader / FrameBuffers (send path)', () => {
  it('writes seq like setBigUint64 on both sides of 2^53, into the start of a longer buffer', () => {
    const seqs = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.bigInt({ min: 0n, max: 1n << 54n }),
      fc.constantFrom((1n << 53n) - 1n, 1n << 53n, (1n << 32n) - 1n, 1n << 32n),
    );
    fc.assert(
      fc.property(seqs, (seq) => {
        const dst = new Uint8Array(20).fill(0xaa);
        const h = writeHeader(dst, {
          version: 1,
          type: FrameType.BINARY,
          flags: 0,
          seq,
          length: 4,
        });
        expect(h.buffer).toBe(dst.buffer);
        expect([...dst]).toEqual(
          // The reference header (setBigUint64), then the untouched tail.
          [...frame({ type: FrameType.BINARY, seq }).subarray(0, 16), 0xaa, 0xaa, 0xaa, 0xaa],
        );
        expect(parseFrame(Uint8Array.of(...h, 0, 0, 0, 0), 1).header.seq).toBe(seq);
      }),
      { numRuns: 500 },
    );
  });

  it('small frames get fresh buffers, large ones one reused buffer, which wipe() zeroes', () => {
    const b = new FrameBuffers();
    const s1 = b.take(FRESH_FRAME_MAX, 65_535, 'reuse');
    const s2 = b.take(FRESH_FRAME_MAX, 65_535, 'reuse');
    expect(s1).not.toBe(s2);
    expect(s1).toHaveLength(FRESH_FRAME_MAX);
    const big = b.take(FRESH_FRAME_MAX + 1, 65_535, 'reuse');
    expect(big).toHaveLength(65_535);
    expect(b.take(30_000, 65_535, 'reuse')).toBe(big);
    expect(b.take(30_000, 65_535, 'fresh')).not.toBe(big);
    big.fill(7);
    b.wipe();
    expect(big.every((x) => x === 0)).toBe(true);
    expect(b.take(30_000, 65_535, 'reuse')).not.toBe(big);
  });
});

describe('receive checks in the order of §3.1', () => {
  it.each([
    ['15 bytes', new Uint8Array(15), 1000],
    ['empty', new Uint8Array(0), 1000],
    ['65536 bytes', frame({ length: 65_520 }, new Uint8Array(65_520)), 1008],
    ['length field too big', frame({ length: 5 }), 1000],
    ['length field too small', frame({ length: 3 }), 1000],
    ['other version', frame({ version: 2 }), 1009],
    ['version 0', frame({ version: 0 }), 1009],
    ['reserved set', frame({ rsv: 1 }), 1000],
    ['unknown type 0', frame({ type: 0 }), 1000],
    ['unknown type 5', frame({ type: 5 }), 1000],
    ['unknown flag 0x08', frame({ flags: 0x08 }), 1000],
    ['unknown flag 0x80', frame({ flags: 0x80 }), 1000],
    ['MORE on BINARY', frame({ type: FrameType.BINARY, flags: FrameFlag.MORE }), 1000],
    ['MORE on REHANDSHAKE', frame({ type: FrameType.REHANDSHAKE, flags: FrameFlag.MORE }), 1000],
    ['flags on HANDSHAKE', frame({ type: FrameType.HANDSHAKE, flags: FrameFlag.NEW_KEYS }), 1000],
    ['REKEYED with NEW_KEYS', frame({ flags: FrameFlag.REKEYED | FrameFlag.NEW_KEYS }), 1000],
  ] as const)('%s → %i', (_name, bytes, code) => {
    expect(codeOf(() => parseFrame(bytes, 1))).toBe(code);
  });

  it('checks size before length, length before version, version before the rest', () => {
    // Each frame is wrong in two places; the earlier check must win.
    expect(codeOf(() => parseFrame(frame({ version: 9, length: 99 }), 1))).toBe(1000);
    expect(codeOf(() => parseFrame(frame({ version: 9, rsv: 1 }), 1))).toBe(1009);
    const big = frame({ version: 9 }, new Uint8Array(MAX_FRAME_LENGTH));
    expect(codeOf(() => parseFrame(big, 1))).toBe(1008);
  });

  it('accepts a maximal frame and honours a lower announced max_frame', () => {
    const max = frame({ length: MAX_FRAME_LENGTH - 16 }, new Uint8Array(MAX_FRAME_LENGTH - 16));
    expect(codeOf(() => parseFrame(max, 1))).toBe('ok');
    expect(codeOf(() => parseFrame(frame({}, new Uint8Array(1009)), 1, 1024))).toBe(1008);
  });

  it('steps 6 and 7: type allowed in state, then seq', () => {
    const p = parseFrame(frame({ seq: 3n }), 1);
    const connected = new Set([
      FrameType.MESSAGE,
      FrameType.BINARY,
      FrameType.REHANDSHAKE,
    ] as const);
    expect(codeOf(() => checkFrameInState(p, new Set([FrameType.HANDSHAKE]), 3n))).toBe(1015);
    expect(codeOf(() => checkFrameInState(p, connected, 2n))).toBe(1007);
    expect(codeOf(() => checkFrameInState(p, connected, 4n))).toBe(1007);
    expect(codeOf(() => checkFrameInState(p, connected, 3n))).toBe('ok');
  });
});

describe('parser properties', () => {
  it('arbitrary bytes give a frame or a PeerlineError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 0, max: 255 }),
        (bytes, version) => {
          try {
            const p = parseFrame(bytes, version);
            expect(p.body.length).toBe(bytes.length - 16);
          } catch (e) {
            expect(isPeerlineError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('headers with arbitrary fields and a consistent length reach every check', () => {
    const seen = new Set<number | 'ok'>();
    fc.assert(
      fc.property(
        fc.record({
          version: fc.integer({ min: 0, max: 3 }),
          type: fc.integer({ min: 0, max: 6 }),
          flags: fc.integer({ min: 0, max: 255 }),
          rsv: fc.constantFrom(0, 0, 0, 1),
          seq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        }),
        fc.uint8Array({ maxLength: 64 }),
        (fields, body) => {
          const bytes = frame({ ...fields, length: body.length }, body);
          const code = codeOf(() => parseFrame(bytes, 1));
          seen.add(code);
          if (code === 'ok') {
            expect(parseFrame(bytes, 1).header.seq).toBe(fields.seq);
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect([...seen].sort()).toEqual([1000, 1009, 'ok']);
  });
});
