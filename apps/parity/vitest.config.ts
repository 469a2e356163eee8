import { defineConfig } from 'vitest/config';
import { setupFiles, sourceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ['src/**/*.test.ts'], setupFiles, testTimeout: 60_000 },
});
