import { describe, expect, it } from 'vitest';
import { cleanName, MAX_NAME_LENGTH } from './identity.ts';

describe('cleanName', () => {
  it('trims and collapses whitespace', () => {
    expect(cleanName('  Alice \n  Liddell ')).toBe('Alice Liddell');
  });
  it('refuses empty and blank names', () => {
    expect(cleanName('')).toBeUndefined();
    expect(cleanName(' \t\n ')).toBeUndefined();
  });
  it('accepts exactly MAX_NAME_LENGTH characters and refuses one more', () => {
    expect(MAX_NAME_LENGTH).toBe(40);
    expect(cleanName('a'.repeat(40))).toBe('a'.repeat(40));
    expect(cleanName('a'.repeat(41))).toBeUndefined();
  });
});
