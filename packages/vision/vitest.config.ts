import { defineConfig } from 'vitest/config';
import { setupFiles, sourceAliases } from '../../vitest.shared.js';

// Generous per-test limit: CI machines have 2 cores and run packages in parallel.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ['src/**/*.test.ts'], setupFiles, testTimeout: 30_000, hookTimeout: 30_000 },
});
