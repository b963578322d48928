import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Worker tests against a real workerd: globalSetup starts `wrangler dev` on a free loopback port
// with small limits (test/worker-env.ts) and stops it afterwards. Run from the repo root:
//   npx vitest run --config signaling-worker/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 90_000,
    // One workerd serves every file; files run one at a time so timing-based limits stay exact.
    fileParallelism: false,
  },
});
