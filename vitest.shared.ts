import { fileURLToPath } from 'node:url';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * Tests import workspace packages from their TypeScript sources (no build step needed).
 * More specific entries come first: aliases match by prefix.
 */
export const sourceAliases = [
  { find: /^@proj\/core\/node$/, replacement: src('./packages/core/src/node.ts') },
  { find: /^@proj\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
  { find: /^@proj\/core$/, replacement: src('./packages/core/src/index.ts') },
  { find: /^@proj\/backend-cpu$/, replacement: src('./packages/backend-cpu/src/index.ts') },
  { find: /^@proj\/backend-onnx$/, replacement: src('./packages/backend-onnx/src/index.ts') },
  { find: /^@proj\/vision\/node$/, replacement: src('./packages/vision/src/node.ts') },
  { find: /^@proj\/vision$/, replacement: src('./packages/vision/src/index.ts') },
  { find: /^@proj\/plot\/node$/, replacement: src('./packages/plot/src/node.ts') },
  { find: /^@proj\/plot$/, replacement: src('./packages/plot/src/index.ts') },
  { find: /^@proj\/backend-gpujs$/, replacement: src('./packages/backend-gpujs/src/index.ts') },
  { find: /^@proj\/backend-webgpu$/, replacement: src('./packages/backend-webgpu/src/index.ts') },
  {
    find: /^@proj\/backend-tests\/host-reads$/,
    replacement: src('./packages/backend-tests/src/host-reads.ts'),
  },
  {
    find: /^@proj\/backend-tests\/strided-reference$/,
    replacement: src('./packages/backend-tests/src/strided-reference.ts'),
  },
  { find: /^@proj\/backend-tests$/, replacement: src('./packages/backend-tests/src/index.ts') },
];

/**
 * Setup files every package's vitest config loads: tensors compare by value in `toEqual`
 * (vitest would otherwise iterate them, and a 0-d tensor is not iterable).
 */
export const setupFiles = [src('./vitest.tensor-equality.ts')];
