import { defineConfig } from 'vitest/config';

// The page's pure parts (data pack and pack-mnist, drawing preprocessing, batching, chart and
// heat-map maths). They import no tensor code, so no source aliases or tensor-equality setup;
// the page itself is tested in a real browser by scripts/e2e.ts.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
