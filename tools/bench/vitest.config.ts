import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

// Loading tfjs (and registering its gradients) takes seconds on a loaded 2-core machine.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
