import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinary, encodeBinary, writeBinary } from './binary.ts';

describe('BINARY content', () => {
  it('has the byte layout of §3.3', () => {
    const content = encodeBinary({
      streamId: new Uint8Array(16).fill(1),
      index: 0x01020304,
      data: new Uint8Array([9]),
    });
    expect([...content]).toEqual([...new Array(16).fill(1), 1, 2, 3, 4, 9]);
  });

  it('round-trips any chunk', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.uint8Array({ maxLength: 100 }),
        (streamId, index, data) => {
          expect(decodeBinary(encodeBinary({ streamId, index, data }))).toEqual({
            streamId,
            index,
            data,
          });
        },
      ),
    );
  });

  it('rejects short content and bad fields with 1000', () => {
    expect(() => decodeBinary(new Uint8Array(19))).toThrow(expect.objectContaining({ code: 1000 }));
    const data = new Uint8Array(0);
    expect(() => encodeBinary({ streamId: new Uint8Array(15), index: 0, data })).toThrow(
      expect.objectContaining({ code: 1000 }),
    );
    expect(() => encodeBinary({ streamId: new Uint8Array(16), index: 2 ** 32, data })).toThrow(
      expect.objectContaining({ code: 1000 }),
    );
  });

  it('writeBinary writes only the content; decodeBinary returns views, not copies', () => {
    const chunk = {
      streamId: new Uint8Array(16).fill(7),
      index: 0xffff_ffff,
      data: Uint8Array.of(1, 2),
    };
    const dst = new Uint8Array(30).fill(0xee);
    writeBinary(dst, chunk);
    expect([...dst.subarray(16, 22)]).toEqual([0xff, 0xff, 0xff, 0xff, 1, 2]);
    expect([...dst.subarray(22)]).toEqual(new Array(8).fill(0xee));
    const decoded = decodeBinary(dst.subarray(0, 22));
    expect(decoded.index).toBe(0xffff_ffff);
    expect(decoded.data.buffer).toBe(dst.buffer);
    expect(decoded.data.byteOffset).toBe(20);
    expect([...decoded.data]).toEqual([1, 2]);
    expect(decoded.streamId.buffer).toBe(dst.buffer);
  });
});
