import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../../db/messages.ts';
import { snippetOf } from './search-snippet.ts';

describe('foldForSearch', () => {
  it('folds case and compatibility forms', () => {
    expect(foldForSearch('ＨＥＬＬＯ')).toBe('hello');
    expect(foldForSearch('ﬁle')).toBe('file');
    expect(foldForSearch('Straße')).toBe('straße');
    expect(foldForSearch('x²')).toBe('x2');
  });
});

describe('snippetOf', () => {
  it('marks the match as written, case kept', () => {
    expect(snippetOf('Hello World', 'world')).toEqual({
      before: 'Hello ',
      match: 'World',
      after: '',
    });
  });

  it('cuts long text around the match with ellipses', () => {
    const text = `${'a'.repeat(100)} needle ${'b'.repeat(200)}`;
    const s = snippetOf(text, 'NEEDLE');
    expect(s.match).toBe('needle');
    expect(s.before).toBe(`…${'a'.repeat(29)} `);
    expect(s.before.length + s.match.length + s.after.length).toBe(1 + 30 + 120 - 30 + 1);
    expect(s.after.endsWith('…')).toBe(true);
  });

  it('collapses whitespace', () => {
    expect(snippetOf('one\n\n  two', 'two')).toEqual({ before: 'one ', match: 'two', after: '' });
  });

  it('shows the start unmarked when the match exists only after folding', () => {
    expect(snippetOf('a ﬁle here', 'file')).toEqual({ before: 'a ﬁle here', match: '', after: '' });
  });
});
