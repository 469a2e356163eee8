// The two entries of the package (export conditions `node` and `browser`/`default`): the same
// API, and nothing reachable from the browser entry imports a Node module or onnxruntime-node.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../tools/testing/import-graph.js';
import * as browserEntry from './browser.js';
import * as nodeEntry from './index.js';

const srcDir = dirname(fileURLToPath(import.meta.url));
const graph = (entry: string) => importGraph(srcDir, entry);

describe('package entries', () => {
  it('export the same names from the Node and the browser entry', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
    expect(Object.keys(nodeEntry)).toEqual(
      expect.arrayContaining(['exportOnnx', 'OnnxModel', 'compile', 'OnnxBackend', 'OnnxWebBackend']),
    );
  });

  it('keep exportOnnx and the tracer free of any runtime module', () => {
    const { files, packages: external } = graph('export/export-onnx.ts');
    expect(files.some((f) => f.includes('trace-backend'))).toBe(true);
    expect(files.filter((f) => /runtime[/\\]|ort-storage|onnx-backend\.ts|model[/\\]/.test(f))).toEqual([]);
    expect([...external].sort()).toEqual(['@proj/core', 'onnx-proto']);
  });

  it('reach no Node module and not onnxruntime-node from the browser entry', () => {
    const { files, packages: external } = graph('browser.ts');
    expect(files.length).toBeGreaterThan(20);
    expect([...external].sort()).toEqual(['@proj/core', 'onnx-proto', 'onnxruntime-web/wasm']);
  });

  it('finds what the walk looks for (a Node import in a test file is seen)', () => {
    const { packages: external } = graph('entries.test.ts');
    expect(external.has('node:fs')).toBe(true);
    expect(external.has('vitest')).toBe(true);
  });
});
