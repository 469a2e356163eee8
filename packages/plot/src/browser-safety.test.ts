// The main entry must bundle for browsers: no Node module anywhere in its import graph. (The
// release check bundles it with esbuild --platform=browser too; see README, "Browser".)
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
  it('imports no Node module, directly or through its files', () => {
    const { files, packages } = graph(resolve(SRC, 'index.ts'));
    expect(files).toContain('live-plot.ts');
    expect(files.filter((f) => f.startsWith('node/') || f.startsWith('test-support/'))).toEqual([]);
    expect([...packages].sort()).toEqual(['@proj/core', 'vega', 'vega-lite']);
    const builtins = [...packages].filter((p) => p.startsWith('node:') || builtinModules.includes(p));
    expect(builtins).toEqual([]);
  });

  it('is told apart from the Node entry, which does use Node', () => {
    const { packages } = graph(resolve(SRC, 'node.ts'));
    expect([...packages].some((p) => p.startsWith('node:'))).toBe(true); // the scan sees Node imports
  });
});
