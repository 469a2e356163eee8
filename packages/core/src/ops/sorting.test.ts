import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  argsort,
  cummax,
  cummin,
  kthvalue,
  manualSeed,
  median,
  mode,
  rand,
  sort,
  type Tensor,
  tensor,
  topk,
} from '../index.js';
import { gradchecks } from '../testing/index.js';

/** Random float64 leaf in [lo, hi) (distinct values, so the order survives gradcheck's steps). */
function u(shape: number[], lo = -1, hi = 1): Tensor {
  return rand(shape, { dtype: 'float64' })
    .mul(hi - lo)
    .add(lo)
    .detach()
    .requiresGrad_(true);
}

manualSeed(11);

describe('gradcheck: sorting (values: the gradient goes back to the indices)', () => {
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['sort', (x) => x.sort(1).values],
    ['sort descending dim 0', (x) => sort(x, 0, true).values],
    ['topk', (x) => x.topk(2).values],
    ['topk smallest dim 1', (x) => topk(x, 2, 1, false).values],
    ['kthvalue keepdim', (x) => x.kthvalue(2, 1, true).values],
    ['median dim', (x) => x.median(2).values],
    ['median all', (x) => median(x)],
    ['mode', (x) => mode(x, 0).values],
    ['cummax', (x) => x.cummax(2).values],
    ['cummin', (x) => cummin(x, 1).values],
    ['sort of a transposed view', (x) => x.transpose(0, 2).sort(0).values.mul(2)],
  ];
  for (const [name, fn] of cases) {
    it(name, () => {
      expect(gradchecks(fn, [u([2, 3, 4])])).toBe(true);
    });
  }
  it('median all shares the gradient among ties, as PyTorch (evenly_distribute_backward)', () => {
    const x = tensor([1, 2, 2, 5], { requiresGrad: true });
    median(x).backward();
    expect(x.grad!.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe('sorting: calling conventions and results', () => {
  const x = tensor([
    [3, 1, 2],
    [0, 5, 4],
  ]);
  it('{ values, indices }, iterable as [values, indices], indices int64', () => {
    const [values, indices] = x.sort();
    expect(values.toArray()).toEqual([
      [1, 2, 3],
      [0, 4, 5],
    ]);
    expect(indices.dtype).toBe('int64');
    expect(indices.toArray()).toEqual([
      [1, 2, 0],
      [0, 2, 1],
    ]);
  });
  it('positionals and the options object are the same call', () => {
    const a = sort(x, 0, true);
    const b = x.sort({ dim: 0, descending: true, stable: true });
    expect(b.values.toArray()).toEqual(a.values.toArray());
    expect(argsort(x, { dim: 1 }).toArray()).toEqual(x.argsort().toArray());
    expect(topk(x, { k: 2, dim: 0 }).values.toArray()).toEqual(x.topk(2, 0).values.toArray());
    expect(kthvalue(x, 2, { keepdim: true }).values.shape).toEqual([2, 1]);
    expect(x.median({ dim: 1 }).values.toArray()).toEqual([2, 4]);
    expect(x.mode(1, true).values.shape).toEqual([2, 1]);
    expect(cummax(x, { dim: 1 }).values.toArray()).toEqual([
      [3, 3, 3],
      [0, 5, 5],
    ]);
  });
  it('refuses what PyTorch refuses, and names what is accepted', () => {
    expect(() => x.sort({ dimm: 0 } as never)).toThrow("sort: unknown option 'dimm' (did you mean 'dim'?)");
    expect(() => x.topk(4)).toThrow(/topk: k = 4 is out of range for dim 1 of size 3/);
    expect(() => x.kthvalue(0)).toThrow(/kthvalue: k = 0 is out of range/);
    expect(() => tensor([true, false]).topk(1)).toThrow(/topk: not implemented for bool/);
    expect(() => tensor([true, false]).median()).toThrow(/median: not implemented for bool/);
    expect(() => tensor([[]]).reshape(1, 0).median(1)).toThrow(
      /median: expected reduction dim 1 to have non-zero size/,
    );
    expect(() => x.sort(0, false, { out: x } as never)).toThrow(/'out' is not supported/);
    expect(() => cummax(x, undefined as never)).toThrow("cummax: missing required argument 'dim'");
  });
  it('is stable; NaN sorts as the largest value', () => {
    const t = tensor([2, Number.NaN, 1, 2, Number.NaN]);
    expect(t.argsort().toArray()).toEqual([2, 0, 3, 1, 4]);
    expect(t.argsort(0, true).toArray()).toEqual([1, 4, 0, 3, 2]);
    expect(t.topk(1).indices.toArray()).toEqual([1]);
  });
});
