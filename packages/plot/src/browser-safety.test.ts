// The main entry must bundle for browsers: no Node module anywhere in its import graph. (The
// release check bundles it with esbuild --platform=browser too; see README, "Browser".)
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../tools/testing/import-graph.js';

const SRC = dirname(fileURLToPath(import.meta.url));
const graph = (entry: string) => importGraph(SRC, entry);

describe('the main entry', () => {
  it('imports no Node module, directly or through its files', () => {
    const { files, packages } = graph('index.ts');
    expect(files).toContain('live-plot.ts');
    expect(files.filter((f) => f.startsWith('node/') || f.startsWith('test-support/'))).toEqual([]);
    expect([...packages].sort()).toEqual(['@proj/core', 'vega', 'vega-lite']);
    const builtins = [...packages].filter((p) => p.startsWith('node:') || builtinModules.includes(p));
    expect(builtins).toEqual([]);
  });

  it('is told apart from the Node entry, which does use Node', () => {
    const { packages } = graph('node.ts');
    expect([...packages].some((p) => p.startsWith('node:'))).toBe(true); // the scan sees Node imports
  });
});
