import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  // scripts/pack-mnist.ts writes the MNIST subset here (git-ignored); Vite serves it and copies it into dist/.
  publicDir: here('generated'),
  resolve: {
    // Workspace packages from their TypeScript sources (their `source` export condition): no
    // package build needed, and what the page runs is what the repository holds.
    // `browser` picks @proj/backend-onnx's browser entry (no Node module).
    conditions: ['source', 'module', 'browser', 'development|production'],
  },
  // Served as it is in dev: pre-bundled, onnxruntime-web would look for its wasm file next to
  // the pre-bundle (src/backends.ts sets the wasm's URL explicitly either way).
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    outDir: here('dist'),
    emptyOutDir: true,
    // onnxruntime-web's and gpu.js's bundles (the page's chunk) and Vega's (the charts' chunk)
    // are large by nature; say so only past 2 MB.
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      onwarn(warning, warn) {
        // Modules loaded with import() but already in the page's one chunk (onnxruntime-web,
        // which the page imports to set its wasm URL; @proj/backend-onnx's lazy loaders):
        // nothing to split, and nothing wrong.
        if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
