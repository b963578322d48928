import { defineConfig } from 'vitest/config';

// Unit tests run in Node: src/crypto and src/peer must stay free of DOM and Solid.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
