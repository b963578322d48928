import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, formatOf, formatRate, progressLine } from './format.ts';

describe('file sizes, rates and time left', () => {
  it('formats bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(12_345_678)).toBe('12 MB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(16 * 1024 ** 3)).toBe('17 GB');
    expect(formatBytes(5e15)).toBe('5000 TB');
  });

  it('says "x of y" in one unit when it can', () => {
    expect(formatOf(1_200_000, 4_500_000)).toBe('1.2 of 4.5 MB');
    expect(formatOf(950_000, 4_500_000)).toBe('950 kB of 4.5 MB');
    expect(formatOf(0, 0)).toBe('0 of 0 B');
  });

  it('rounds time left up', () => {
    expect(formatEta(0.2)).toBe('1 s left');
    expect(formatEta(59)).toBe('59 s left');
    expect(formatEta(60)).toBe('1 min left');
    expect(formatEta(61)).toBe('2 min left');
    expect(formatEta(3600)).toBe('1 h left');
    expect(formatEta(3900)).toBe('1 h 5 min left');
  });

  it('joins the known parts of the progress line', () => {
    expect(formatRate(2_300_000)).toBe('2.3 MB/s');
    expect(progressLine(1_200_000, 4_500_000, 2_300_000, 1.4)).toBe(
      '1.2 of 4.5 MB · 2.3 MB/s · 2 s left',
    );
    expect(progressLine(1_200_000, 4_500_000, undefined, undefined)).toBe('1.2 of 4.5 MB');
    expect(progressLine(4_500_000, 4_500_000, 1000, 0)).toBe('4.5 of 4.5 MB · 1.0 kB/s');
    expect(progressLine(10, 20, 0, Number.POSITIVE_INFINITY)).toBe('10 of 20 B');
  });
});
