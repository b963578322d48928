// Builds the app with the project's own vite.config.ts into a temporary directory (never into
// dist/, which the e2e suite may be serving at the same time) and serves it with `vite preview`
// on a free loopback port. Node only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type PreviewServer, preview } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface AppBuild {
  readonly outDir: string;
  remove(): void;
}

/** `vite build` plus a manifest, which tells static imports from lazy chunks. */
export async function buildApp(): Promise<AppBuild> {
  const outDir = mkdtempSync(join(tmpdir(), 'peerline-bench-app-'));
  await build({
    root,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface AppServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** `vite preview` of a build on 127.0.0.1, port chosen by the OS (port 0). */
export async function previewApp(outDir: string): Promise<AppServer> {
  const server: PreviewServer = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (port === 0) {
    await server.close();
    throw new Error('vite preview is not listening');
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => server.close() };
}
