import '@proj/backend-cpu';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../proto/graph-builder.js';
import { OnnxModel } from './onnx-model.js';

/** A model written by hand: an int64-index Gather from a table, plus a float Add. */
function handModel(): Uint8Array {
  const g = new GraphBuilder('hand');
  const idx = g.input('idx', 'int64', ['n']);
  const a = g.input('a', 'float32', [2]);
  const table = g.initializer('table', Float32Array.of(10, 20, 30), [3]);
  g.node('Gather', [table, idx], ['picked'], { axis: 0 });
  g.node('Add', [a, g.scalar(1)], ['plus1']);
  g.output('picked', 'float32', ['n']);
  g.output('plus1', 'float32', [2]);
  return g.toBytes({ opset: 17 });
}

describe('OnnxModel', () => {
  it('runs a model from bytes or a file, positionally or by name, async and sync (node)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-model-'));
    const file = join(dir, 'hand.onnx');
    writeFileSync(file, handModel());
    try {
      const m = await OnnxModel.load(file);
      expect([m.runtime, m.inputNames, m.outputNames]).toEqual(['node', ['idx', 'a'], ['picked', 'plus1']]);
      const idx = tensor([2, 0, 2], { dtype: 'int32' }); // the model declares int64: converted
      const a = tensor([1, 2]);
      const before = memory().numTensors;
      const [p, q] = await m.run([idx, a]);
      expect([p.toArray(), q.toArray()]).toEqual([
        [30, 10, 30],
        [2, 3],
      ]);
      const [p2, q2] = m.runSync({ a, idx });
      expect(p2.toArray()).toEqual([30, 10, 30]);
      for (const t of [p, q, p2, q2]) t.dispose();
      expect(memory().numTensors).toBe(before);
      await m.dispose();
      await expect(m.run([idx, a])).rejects.toThrow('OnnxModel.run() called after dispose()');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs with onnxruntime-web (wasm in Node), asynchronously only', async () => {
    const m = await OnnxModel.load(handModel(), { runtime: 'web' });
    const [p, q] = await m.run({ idx: tensor([1], { dtype: 'int32' }), a: tensor([0.5, -1]) });
    expect([p.toArray(), q.toArray()]).toEqual([[20], [1.5, 0]]);
    expect(() => m.runSync([tensor([1], { dtype: 'int32' }), tensor([0, 0])])).toThrow(
      "runtime 'web' (onnxruntime-web) only runs asynchronously; use await model.run()",
    );
    await m.dispose();
  });

  it('says which inputs are missing or unknown', async () => {
    const m = await OnnxModel.load(handModel());
    const a = tensor([1, 2]);
    await expect(m.run([a])).rejects.toThrow('OnnxModel.run: got 1 inputs, the model takes 2 (idx, a)');
    expect(() => m.runSync({ a, b: a })).toThrow(
      "inputs do not match the model's (idx, a): missing idx; unknown b",
    );
    await m.dispose();
    await expect(OnnxModel.load(new Uint8Array([1, 2, 3]))).rejects.toThrow();
  });
});
