import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offerMime, offerName, previewKind } from './names.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left
const FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

describe('what a picked file is offered as', () => {
  it('keeps ordinary names and replaces separators and control characters', () => {
    expect(offerName('holiday photo.jpg')).toBe('holiday photo.jpg');
    expect(offerName('a/b\\c\u0000d\u007f.txt')).toBe('a_b_c_d_.txt');
    expect(offerName('   ')).toBe('file');
    expect(offerName('')).toBe('file');
  });

  it('cuts at 255 code points, not UTF-16 units', () => {
    const long = '😀'.repeat(300);
    expect([...offerName(long)].length).toBe(255);
  });

  it('always yields a valid offer name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const n = offerName(s);
        const points = [...n].length;
        expect(points).toBeGreaterThanOrEqual(1);
        expect(points).toBeLessThanOrEqual(255);
        expect(FORBIDDEN.test(n)).toBe(false);
      }),
    );
  });

  it('accepts bare mime types only', () => {
    expect(offerMime('image/png')).toBe('image/png');
    expect(offerMime('Video/MP4')).toBe('video/mp4');
    expect(offerMime('text/plain; charset=utf-8')).toBe('');
    expect(offerMime('')).toBe('');
    expect(offerMime(`a/${'b'.repeat(126)}`)).toBe('');
  });

  it('previews pictures and videos', () => {
    expect(previewKind('image/webp')).toBe('image');
    expect(previewKind('video/webm')).toBe('video');
    expect(previewKind('application/pdf')).toBe('none');
    expect(previewKind('')).toBe('none');
  });
});
