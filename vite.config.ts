import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';

/**
 * Shapes the built index.html for the first paint, which is the static shell in index.html and
 * needs no JS:
 * - the entry CSS (a few KB) goes inline as a <style>: a <link> would hold that paint until one
 *   more request is back. The .css file is still emitted; the build manifest and the precache
 *   list name it.
 * - the entry module and its preloads get fetchpriority="low": they never block rendering (module
 *   scripts run after parsing), and the hint says so to the browser, and to Lighthouse, which
 *   otherwise counts any high-priority script done before the first paint as render-blocking.
 */
function firstPaintHtml(): Plugin {
  return {
    name: 'peerline-first-paint-html',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset') return;
      html.source = String(html.source)
        .replace(
          /<link rel="stylesheet" crossorigin href="\/(assets\/[^"]+\.css)">/g,
          (link, file: string) => {
            const css = bundle[file];
            return css?.type === 'asset' ? `<style>${String(css.source)}</style>` : link;
          },
        )
        .replace(
          /<script type="module" crossorigin /g,
          '<script type="module" fetchpriority="low" crossorigin ',
        )
        .replace(
          /<link rel="modulepreload" crossorigin /g,
          '<link rel="modulepreload" fetchpriority="low" crossorigin ',
        );
    },
  };
}

export default defineConfig({
  plugins: [
    solid(),
    firstPaintHtml(),
    VitePWA({
      // Ask before activating a new version (UpdatePrompt.tsx), never reload under the user.
      registerType: 'prompt',
      // UpdatePrompt registers through virtual:pwa-register/solid.
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: 'Peerline',
        short_name: 'Peerline',
        description:
          'End-to-end encrypted messages, browser to browser. Your public key is your address.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#1f4e79',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // The whole app shell, lazy chunks included, so every screen opens offline.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
