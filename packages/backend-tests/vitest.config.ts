import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

// Generous per-test limit: CI machines have 2 cores and run packages in parallel.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
