import { describe, expect, it } from 'vitest';
import { asView } from './router.ts';

const KEY = '0f'.repeat(32);

describe('asView (history.state is untrusted)', () => {
  it('accepts every well-formed view', () => {
    expect(asView({ name: 'home' })).toEqual({ name: 'home' });
    expect(asView({ name: 'settings', extra: 1 })).toEqual({ name: 'settings' });
    expect(asView({ name: 'add', input: 'x' })).toEqual({ name: 'add', input: 'x' });
    for (const name of ['confirm', 'contact', 'safety', 'chat']) {
      expect(asView({ name, key: KEY })).toEqual({ name, key: KEY });
    }
  });

  it('rejects anything else', () => {
    expect(asView(null)).toBeUndefined();
    expect(asView('home')).toBeUndefined();
    expect(asView({ name: 'admin' })).toBeUndefined();
    expect(asView({ name: 'add' })).toBeUndefined();
    expect(asView({ name: 'chat', key: KEY.toUpperCase() })).toBeUndefined();
    expect(asView({ name: 'chat', key: KEY.slice(1) })).toBeUndefined();
    expect(asView({ name: 'contact' })).toBeUndefined();
  });
});
