import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, matmul, memory, randn, type Tensor, tensor, tidy } from '../index.js';
import { gradchecks } from '../testing/index.js';
import { linear } from './linear.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function maxAbsDiff(a: Tensor, b: Tensor): number {
  return tidy(() => a.sub(b).abs().max().item());
}

describe('linear', () => {
  manualSeed(3);

  it('equals x @ w.t() + b for 1-D, 2-D and 3-D inputs', () => {
    const w = randn([5, 4]);
    const b = randn([5]);
    for (const shape of [[4], [3, 4], [2, 3, 4]]) {
      const x = randn(shape);
      const ref = x.matmul(w.t()).add(b);
      const y = linear(x, w, b);
      expect(y.shape).toEqual(ref.shape);
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
      expect(maxAbsDiff(linear(x, w), x.matmul(w.t()))).toBeLessThan(1e-5);
    }
  });

  it('gives the gradients of the composite: dx = g·w, dw = gᵀ·x, db = Σg', () => {
    const x = randn([2, 3, 4], { requiresGrad: true });
    const w = randn([5, 4], { requiresGrad: true });
    const b = randn([5], { requiresGrad: true });
    const g = randn([2, 3, 5]);
    linear(x, w, b).backward(g);
    const gx = x.grad!;
    const gw = w.grad!;
    const gb = b.grad!;
    expect(maxAbsDiff(gx, g.matmul(w.detach()))).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        gw,
        g
          .reshape([6, 5])
          .t()
          .matmul(x.detach().reshape([6, 4])),
      ),
    ).toBeLessThan(1e-5);
    expect(maxAbsDiff(gb, g.sum([0, 1]))).toBeLessThan(1e-5);
    expect(gx.shape).toEqual([2, 3, 4]);
    expect(gw.shape).toEqual([5, 4]);
  });

  it('passes gradcheck in float64 with and without bias', () => {
    const x = randn([3, 4], f64);
    const w = randn([2, 4], f64);
    const b = randn([2], f64);
    expect(gradchecks((x, w, b) => linear(x, w, b), [x, w, b])).toBe(true);
    expect(gradchecks((x, w) => linear(x, w), [x, w])).toBe(true);
    const x3 = randn([2, 2, 4], f64);
    expect(gradchecks((x, w, b) => linear(x, w, b), [x3, w, b])).toBe(true);
    const x1 = randn([4], f64);
    expect(gradchecks((x, w) => linear(x, w), [x1, w])).toBe(true);
  });

  it('only computes the gradients that are needed', () => {
    const x = randn([3, 4]);
    const w = randn([2, 4], { requiresGrad: true });
    linear(x, w).sum().backward();
    expect(x.grad).toBeNull();
    expect(w.grad!.shape).toEqual([2, 4]);
  });

  it('names shapes in its errors', () => {
    expect(() => linear(randn([3, 4]), randn([2, 5]))).toThrow(
      'linear: input [3,4] does not end in in_features=5 of weight [2,5]',
    );
    expect(() => linear(randn([3, 4]), randn([2, 4]), randn([3]))).toThrow(
      /bias \[3\] does not match out_features=2/,
    );
    expect(() => linear(randn([3, 4]), randn([4]))).toThrow(/weight must be 2-D/);
  });

  it('refuses mixed or integer dtypes as PyTorch does (issue 11)', () => {
    expect(() => linear(tensor([[1, 2]], { dtype: 'int32' }), tensor([[1, 1]]))).toThrow(
      /linear: expected both operands to have the same dtype, but got int32 \[1,2\] and float32 \[1,2\]/,
    );
    expect(() => linear(tensor([[1, 2]], { dtype: 'float64' }), tensor([[1, 1]]))).toThrow(/float64/);
    expect(() => matmul(tensor([[true]]), tensor([[true]]))).toThrow(/matmul: not implemented for bool/);
  });

  it('leaks no tensors in a forward and backward', () => {
    const x = randn([3, 4], { requiresGrad: true });
    const w = randn([2, 4], { requiresGrad: true });
    const b = randn([2], { requiresGrad: true });
    const before = memory().numTensors;
    tidy(() => linear(x, w, b).sum().backward());
    // The three new .grad tensors are the only survivors.
    expect(memory().numTensors - before).toBe(3);
  });
});
