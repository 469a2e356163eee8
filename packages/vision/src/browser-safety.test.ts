// The main entry must bundle for browsers: no Node module anywhere in its import graph (the
// file-reading datasets, image files and saveImage are behind '@proj/vision/node').
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The files reachable from `entry` by relative imports, and the packages they import. */
function graph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gms,
    )) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: files.map((f) => relative(SRC, f)), packages };
}

describe('the main entry', () => {
  it('imports no Node module and no Node-only package, directly or through its files', () => {
    const { files, packages } = graph(resolve(SRC, 'index.ts'));
    expect(files).toContain('models/weights/mnist-cnn.ts');
    expect(files).toContain('transforms/functional/rotate.ts');
    expect(
      files.filter((f) => f.startsWith('io/') || f.startsWith('test-support/') || f.endsWith('node.ts')),
    ).toEqual([]);
    expect([...packages].sort()).toEqual(['@proj/core']);
    expect([...packages].filter((p) => p.startsWith('node:') || builtinModules.includes(p))).toEqual([]);
  });

  it('is told apart from the Node entry, which reads files', () => {
    const { packages } = graph(resolve(SRC, 'node.ts'));
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
