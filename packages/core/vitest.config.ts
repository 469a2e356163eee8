import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Core tests run on the CPU backend; it is aliased (not a dependency) because backend-cpu depends on core.
export default defineConfig({
  resolve: {
    conditions: ['source'],
    alias: { '@proj/backend-cpu': fileURLToPath(new URL('../backend-cpu/src/index.ts', import.meta.url)) },
  },
  test: { include: ['src/**/*.test.ts'] },
});
