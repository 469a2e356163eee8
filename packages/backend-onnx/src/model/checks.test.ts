// Issue 11 for OnnxModel: a file that is not ONNX, inputs that do not match the model's
// declared inputs, int64 outputs (kept exactly), and use after dispose() get errors in
// our terms (which input, which dim, what was expected) instead of ORT's raw text.
import '@proj/backend-cpu';
import { nn, randn, tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export/index.js';
import { GraphBuilder } from '../proto/graph-builder.js';
import { OnnxModel } from './onnx-model.js';

const linear = () => exportOnnx(new nn.Sequential(new nn.Linear(4, 3)), [randn([1, 4])]);

/** Two inputs sharing the symbolic dim 'batch', and an int64 input. */
function twoInputs(): Uint8Array {
  const g = new GraphBuilder('two');
  const a = g.input('a', 'float32', ['batch', 2]);
  const b = g.input('b', 'float32', ['batch', 2]);
  const i = g.input('i', 'int64', [3]);
  g.output(g.op('Add', [a, b]), 'float32');
  g.output(g.op('Identity', [i]), 'int64');
  return g.toBytes({ opset: 17 });
}

describe('OnnxModel.load refuses what is not an ONNX model', () => {
  for (const runtime of ['node', 'web'] as const) {
    it(`empty bytes (${runtime}): says the source is empty, not "Model data pointer is null"`, async () => {
      await expect(OnnxModel.load(new Uint8Array(0), { runtime })).rejects.toThrow(
        /^OnnxModel\.load: the given bytes is empty \(0 bytes\); expected an ONNX model/,
      );
    });

    it(`garbage (${runtime}): "not a valid ONNX model", with its size and first bytes`, async () => {
      const junk = new TextEncoder().encode('hello, this is not onnx at all');
      await expect(OnnxModel.load(junk, { runtime })).rejects.toThrow(
        /^OnnxModel\.load: the given bytes \(30 bytes, starting 68 65 6c 6c 6f 2c 20 74\) is not a valid ONNX model/,
      );
    });
  }
});

describe('OnnxModel.run checks inputs against the declared ones', () => {
  it('names the input, the declared shape and the offending dim', async () => {
    const m = await OnnxModel.load(linear());
    await expect(m.run([randn([2, 5])])).rejects.toThrow(
      "OnnxModel.run: input 'input' expects shape [batch, 4] (float32), got [2, 5]: dim 1 is 5, expected 4",
    );
    expect(() => m.runSync([randn([2, 4, 1])])).toThrow(
      "OnnxModel.runSync: input 'input' expects shape [batch, 4] (float32), got [2, 4, 1]: rank 3, expected 2",
    );
    expect(() => m.runSync([tensor([[1, 2, 3, 4]], { dtype: 'float64' })])).toThrow(
      "OnnxModel.runSync: input 'input' expects [batch, 4] float32, got a float64 tensor of shape [1, 4] (convert with .to('float32'))",
    );
    expect(() => m.runSync([null as never])).toThrow(
      "OnnxModel.runSync: input 'input' must be a Tensor, got null",
    );
    const [y] = m.runSync([randn([7, 4])]); // any batch size
    expect(y.shape).toEqual([7, 3]);
    y.dispose();
    await m.dispose();
  });

  it('checks dtypes (int32 is fed exactly to int64) and symbolic dims shared by inputs', async () => {
    for (const runtime of ['node', 'web'] as const) {
      const m = await OnnxModel.load(twoInputs(), { runtime });
      const i = tensor([1, -2, 3], { dtype: 'int32' });
      const [s, back] = await m.run({ a: randn([2, 2]), b: randn([2, 2]), i });
      expect([s.shape, back.toArray()]).toEqual([
        [2, 2],
        [1, -2, 3],
      ]);
      await expect(m.run({ a: randn([2, 2]), b: randn([3, 2]), i })).rejects.toThrow(
        "OnnxModel.run: inputs 'a' and 'b' give the symbolic dim 'batch' different sizes (2 and 3)",
      );
      await expect(m.run({ a: randn([2, 2]), b: randn([2, 2]), i: tensor([1, 2, 3]) })).rejects.toThrow(
        "OnnxModel.run: input 'i' expects [3] int64, got a float32 tensor of shape [3] (convert with .long(); int32 is also fed to int64 inputs)",
      );
      await m.dispose();
    }
  });

  it('gives int64 outputs as int64 tensors, exactly, and takes int64 inputs as they are', async () => {
    const g = new GraphBuilder('big');
    const x = g.input('x', 'int64', [1]);
    g.output(g.op('Mul', [x, g.constant('k', BigInt64Array.of(4n), [1], 'int64')]), 'int64');
    const m = await OnnxModel.load(g.toBytes({ opset: 17 }));
    const [big] = m.runSync([tensor([1000000000], { dtype: 'int32' })]);
    expect(big.dtype).toBe('int64');
    expect(big.toArray()).toEqual([4000000000]);
    const [exact] = m.runSync([tensor([2n ** 60n + 1n])]);
    expect(exact.dataSync<BigInt64Array>()).toEqual(BigInt64Array.of(2n ** 62n + 4n));
    const [ok] = m.runSync([tensor([-5], { dtype: 'int32' })]);
    expect(ok.toArray()).toEqual([-20]);
    await m.dispose();
  });
});

describe('OnnxModel after dispose()', () => {
  it('run and runSync throw a clear error; disposing twice is harmless', async () => {
    const m = await OnnxModel.load(linear());
    await m.dispose();
    await expect(m.run([randn([1, 4])])).rejects.toThrow('OnnxModel.run() called after dispose()');
    expect(() => m.runSync([randn([1, 4])])).toThrow('OnnxModel.runSync() called after dispose()');
    await expect(m.dispose()).resolves.toBeUndefined();
  });
});
