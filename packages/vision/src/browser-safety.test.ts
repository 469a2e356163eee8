// The main entry must bundle for browsers: no Node module anywhere in its import graph (the
// file-reading datasets, image files and saveImage are behind '@proj/vision/node').
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../tools/testing/import-graph.js';

const SRC = dirname(fileURLToPath(import.meta.url));
const graph = (entry: string) => importGraph(SRC, entry);

describe('the main entry', () => {
  it('imports no Node module and no Node-only package, directly or through its files', () => {
    const { files, packages } = graph('index.ts');
    expect(files).toContain('models/weights/mnist-cnn.ts');
    expect(files).toContain('transforms/functional/rotate.ts');
    expect(
      files.filter((f) => f.startsWith('io/') || f.startsWith('test-support/') || f.endsWith('node.ts')),
    ).toEqual([]);
    expect([...packages].sort()).toEqual(['@proj/core']);
    expect([...packages].filter((p) => p.startsWith('node:') || builtinModules.includes(p))).toEqual([]);
  });

  it('is told apart from the Node entry, which reads files', () => {
    const { packages } = graph('node.ts');
    expect([...packages].sort()).toEqual([
      '@proj/core',
      'jpeg-js',
      'node:fs',
      'node:module',
      'node:path',
      'pngjs',
    ]);
  });
});
