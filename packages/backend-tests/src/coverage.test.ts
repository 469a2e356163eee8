import { describe, expect, it } from 'vitest';
import { coverageMarkdown } from './coverage.js';

describe('coverageMarkdown', () => {
  it('tabulates per family/op and lists skips with reasons and failures', () => {
    const md = coverageMarkdown([
      {
        backend: 'cpu',
        tolerance: 'strict',
        fused: ['matmul', 'softmax'],
        results: [
          { id: 'binary/add/same-shape', status: 'passed' },
          { id: 'binary/add/broadcast-row', status: 'passed' },
          { id: 'dtypes/float64/storage', status: 'passed' },
        ],
      },
      {
        backend: 'gpujs',
        tolerance: 'permissive',
        fused: [],
        results: [
          { id: 'binary/add/same-shape', status: 'passed' },
          { id: 'binary/add/broadcast-row', status: 'failed', detail: 'value: element 0 | is 1' },
          {
            id: 'dtypes/float64/storage',
            status: 'skipped',
            detail: "backend 'gpujs' does not support float64",
          },
        ],
      },
    ]);
    expect(md).toContain('| cpu | strict | ✅ 3 | matmul, softmax |');
    expect(md).toContain('| gpujs | permissive | ✅ 1 · ⏭️ 1 · ❌ 1 | (none: core composites) |');
    expect(md).toContain('| binary/add | ✅ 2 | ✅ 1 · ❌ 1 |');
    expect(md).toContain('| dtypes/float64 | ✅ 1 | ⏭️ 1 |');
    expect(md).toContain("| gpujs | dtypes/float64/storage | backend 'gpujs' does not support float64 |");
    expect(md).toContain('| gpujs | binary/add/broadcast-row | value: element 0 \\| is 1 |');
  });
});
