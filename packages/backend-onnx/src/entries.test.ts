// The two entries of the package (export conditions `node` and `browser`/`default`): the same
// API, and nothing reachable from the browser entry imports a Node module or onnxruntime-node.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browserEntry from './browser.js';
import * as nodeEntry from './index.js';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** Every module specifier a source file imports (static, dynamic and re-exports; not `import type`). */
function specifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\b[^'";]*?from\s*'([^']+)'/g)) {
    if (!m[2]) found.push(m[3]);
  }
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*'([^']+)'/g)) found.push(m[1]);
  // a dynamic import, not a type (`typeof import('x')`)
  for (const m of code.matchAll(/(?<!typeof\s*)\bimport\(\s*'([^']+)'\s*\)/g)) found.push(m[1]);
  return found;
}

/** The modules reachable from `entry` through relative imports, and the packages they import. */
function graph(entry: string): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const todo = [resolve(srcDir, entry)];
  while (todo.length) {
    const file = todo.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const s of specifiers(file)) {
      if (s.startsWith('.')) todo.push(join(dirname(file), s.replace(/\.js$/, '.ts')));
      else external.add(s);
    }
  }
  return { files, external };
}

describe('package entries', () => {
  it('export the same names from the Node and the browser entry', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
    expect(Object.keys(nodeEntry)).toEqual(
      expect.arrayContaining([
        'exportOnnx',
        'OnnxModel',
        'compileTrainStep',
        'OnnxBackend',
        'OnnxWebBackend',
      ]),
    );
  });

  it('reach no Node module and not onnxruntime-node from the browser entry', () => {
    const { files, external } = graph('browser.ts');
    expect(files.length).toBeGreaterThan(20);
    expect([...external].sort()).toEqual(['@proj/core', 'onnx-proto', 'onnxruntime-web/wasm']);
  });

  it('finds what the walk looks for (a Node import in a test file is seen)', () => {
    const { external } = graph('entries.test.ts');
    expect(external.has('node:fs')).toBe(true);
    expect(external.has('vitest')).toBe(true);
  });
});
