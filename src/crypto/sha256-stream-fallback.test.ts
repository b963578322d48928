import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it, vi } from 'vitest';
import { toHex, utf8 } from './bytes.ts';

// A hash-wasm whose saved state has another layout (a future version, say): the layout check
// must notice and fall back to noble rather than write checkpoints it would misread.
const layout = vi.hoisted(() => ({ shift: 0, fail: false }));
vi.mock('hash-wasm', async (importOriginal) => {
  const real = await importOriginal<typeof import('hash-wasm')>();
  return {
    ...real,
    createSHA256: async () => {
      if (layout.fail) throw new Error('WebAssembly is not supported in this environment!');
      const h = await real.createSHA256();
      const save = h.save.bind(h);
      return Object.assign(h, {
        save: () => {
          const s = save();
          return layout.shift === 0
            ? s
            : Uint8Array.from(s, (_, i) => s[(i + layout.shift) % s.length] ?? 0);
        },
      });
    },
  };
});

const { createSha256Stream } = await import('./sha256-stream.ts');

describe('Sha256Stream fallback', () => {
  it('uses hash-wasm when its state reads as noble’s (the mock changes nothing)', async () => {
    layout.shift = 0;
    layout.fail = false;
    expect((await createSha256Stream()).impl).toBe('wasm');
  });

  it('falls back to noble when hash-wasm’s state layout differs, and still hashes right', async () => {
    layout.shift = 4;
    layout.fail = false;
    const h = await createSha256Stream();
    expect(h.impl).toBe('noble');
    h.update(utf8('abc'));
    expect(toHex(h.digest())).toBe(toHex(sha256(utf8('abc'))));
  });

  it('falls back to noble when WebAssembly is unavailable', async () => {
    layout.shift = 0;
    layout.fail = true;
    const h = await createSha256Stream();
    expect(h.impl).toBe('noble');
  });
});
