// The parity runner on a backend that reads only asynchronously (onnxruntime-web's wasm in Node,
// readsSync false, as WebGPU): the smoke test reads with await, values() are filled after the
// synchronous case body from copies, and a case that reads in the wrong place says so.
import { OnnxWebBackend } from '@proj/backend-onnx';
import { ones, registerBackend, setBackend } from '@proj/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackends, startBackend } from './backends.js';
import { catalogue } from './catalogue/index.js';
import { values } from './fixtures.js';
import { runCases } from './runner.js';
import type { Case } from './types.js';

// one of each path through values(): per-output reads with gradients and released parameters
// (layer), per-step trajectories joined after the body (optim), per-step losses and a
// noise-only slice (model/transformer), int64 indices read exactly (op)
const PICK = [
  'op/argmax/dim1_2d',
  'layer/conv2d/basic',
  'optim/adam_plain',
  'model/mlp/sgd',
  'model/transformer/sgd',
  'model/gan/adam',
];

beforeAll(() => {
  registerBackend('onnx-web', () => new OnnxWebBackend(), { priority: -1 });
});

describe('parity on an asynchronously read backend (onnx-web)', () => {
  it('starts it with an asynchronous smoke read', async () => {
    await loadBackends(['cpu']); // registers cpu, the reference
    const info = await startBackend('onnx-web');
    expect(info, info.detail).toMatchObject({ name: 'onnx-web', kind: 'backend', started: true });
  });

  it('runs cases with values read after the body, equal to the cpu results, leaking nothing', async () => {
    const cases = catalogue(() => null).filter((c) => PICK.includes(c.id));
    expect(cases.map((c) => c.id).sort()).toEqual([...PICK].sort());
    const results = await runCases(cases, [
      { name: 'cpu', kind: 'backend', started: true, detail: '' },
      { name: 'onnx-web', kind: 'backend', started: true, detail: '' },
    ]);
    for (const r of results) {
      const cell = r.cells['onnx-web']!;
      expect(cell.status, `${r.id}: ${cell.message ?? cell.vsCpu?.worst}`).toBe('pass');
      expect(cell.vsCpu?.maxAbs, r.id).toBeLessThan(1e-3);
      // the copies values() read are freed: nothing beyond what the case leaves on the cpu
      // (the transformer case leaves 12 tensors there too; the garbage collector may free some
      // of onnx-web's sooner)
      expect(cell.leaked, r.id).toBeLessThanOrEqual(r.cells.cpu!.leaked!);
      if (r.id !== 'model/transformer/sgd') expect(cell.leaked, r.id).toBe(0);
    }
  });

  it('reports a wrong value read after the body as a mismatch, not a pass', async () => {
    // the same body on both: only the backend's read decides, so flip the value on onnx-web
    const flip: Case = {
      id: 'op/selftest/async-read',
      family: 'op',
      tolerance: 'op',
      run: (target) => ({ out: values(ones([2]).mul(target === 'onnx-web' ? 2 : 1)) }),
    };
    const [r] = await runCases(
      [flip],
      [
        { name: 'cpu', kind: 'backend', started: true, detail: '' },
        { name: 'onnx-web', kind: 'backend', started: true, detail: '' },
      ],
    );
    expect(r!.cells['onnx-web']).toMatchObject({ status: 'fail', vsCpu: { maxAbs: 1 } });
  });

  it('refuses values() of an asynchronous tensor outside the runner, naming it', () => {
    setBackend('onnx-web');
    const x = ones([2]);
    try {
      expect(() => values(x)).toThrow(/reads only asynchronously.*runCases/);
    } finally {
      x.dispose();
      setBackend('cpu');
    }
  });
});
