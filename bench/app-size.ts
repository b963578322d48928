// Initial JS of the built app, gzip-compressed: the entry chunk index.html loads and every chunk
// it imports statically (what the browser must fetch before the first screen), never the lazy
// chunks behind dynamic import(). Vite's build manifest records both kinds of edge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_TARGET_KB = 100;

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
}

export interface SizeFigures {
  /** KB = 1000 bytes, gzip level 9 (what a static host serves at best). */
  readonly initialJsGzipKB: number;
  readonly initialJsRawKB: number;
  readonly initialCssGzipKB: number;
  readonly lazyJsGzipKB: number;
  readonly initialFiles: readonly string[];
}

function isChunk(v: unknown): v is ManifestChunk {
  return typeof v === 'object' && v !== null && typeof (v as { file?: unknown }).file === 'string';
}

function gzipKB(outDir: string, files: Iterable<string>): number {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(outDir, f)), { level: 9 }).length;
  return bytes / 1000;
}

export function measureSize(outDir: string): SizeFigures {
  const raw: unknown = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error('vite manifest is not an object');
  const manifest = new Map<string, ManifestChunk>();
  for (const [k, v] of Object.entries(raw)) if (isChunk(v)) manifest.set(k, v);
  const entries = [...manifest.entries()].filter(([, c]) => c.isEntry === true);
  if (entries.length === 0) throw new Error('vite manifest has no entry chunk');
  const initial = new Set<string>();
  const todo = entries.map(([k]) => k);
  for (let key = todo.pop(); key !== undefined; key = todo.pop()) {
    const chunk = manifest.get(key);
    if (!chunk || initial.has(chunk.file)) continue;
    initial.add(chunk.file);
    todo.push(...(chunk.imports ?? []));
  }
  const css = new Set<string>();
  const lazy = new Set<string>();
  for (const c of manifest.values()) {
    if (initial.has(c.file)) for (const f of c.css ?? []) css.add(f);
    else if (c.file.endsWith('.js')) lazy.add(c.file);
  }
  let rawBytes = 0;
  for (const f of initial) rawBytes += readFileSync(join(outDir, f)).length;
  return {
    initialJsGzipKB: gzipKB(outDir, initial),
    initialJsRawKB: rawBytes / 1000,
    initialCssGzipKB: gzipKB(outDir, css),
    lazyJsGzipKB: gzipKB(outDir, lazy),
    initialFiles: [...initial].sort(),
  };
}
