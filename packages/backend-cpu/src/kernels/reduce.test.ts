import type { DType, ReduceOp, Shape } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, numel, randArray, ravel, read, rng, t, unravel } from '../../test/helpers.js';

/** Reference: walk every element and fold it into its output slot. */
function naive(op: ReduceOp, x: number[], shape: Shape, axes: number[]): number[] {
  const keep = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = keep.map((d) => shape[d]);
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity, argmax: 0, argmin: 0 }[op];
  const acc = new Array<number>(numel(outShape)).fill(init);
  const best = new Array<number>(acc.length).fill(Number.NaN);
  const seen = new Array<boolean>(acc.length).fill(false);
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    const o = ravel(
      keep.map((d) => idx[d]),
      outShape,
    );
    const v = x[i];
    if (op === 'sum') acc[o] += v;
    else if (op === 'prod') acc[o] *= v;
    else if (op === 'max')
      acc[o] = Number.isNaN(v) || Number.isNaN(acc[o]) ? Number.NaN : Math.max(acc[o], v);
    else if (op === 'min')
      acc[o] = Number.isNaN(v) || Number.isNaN(acc[o]) ? Number.NaN : Math.min(acc[o], v);
    else {
      const better = op === 'argmax' ? v > best[o] : v < best[o];
      if (!seen[o] || (!Number.isNaN(best[o]) && (better || Number.isNaN(v)))) {
        best[o] = v;
        acc[o] = idx[axes[0]];
      }
      seen[o] = true;
    }
  }
  return acc;
}

function outShapeOf(shape: Shape, axes: number[]): number[] {
  return shape.filter((_, d) => !axes.includes(d));
}

function run(op: ReduceOp, x: number[], shape: Shape, axes: number[], dtype: DType = 'float32'): number[] {
  const outDtype = op.startsWith('arg') ? 'int32' : dtype;
  return read(be.reduce(op, t(x, shape, dtype), axes), outShapeOf(shape, axes), outDtype);
}

/** Every non-empty subset of the axes of a rank-`r` shape. */
function subsets(r: number): number[][] {
  const out: number[][] = [];
  for (let m = 1; m < 1 << r; m++) out.push([...Array(r).keys()].filter((d) => m & (1 << d)));
  return out;
}

describe('reduce', () => {
  const rand = rng(7);
  const shapes: Shape[] = [[5], [3, 4], [2, 3, 4], [2, 1, 3, 5], [3, 2, 2, 3]];
  for (const op of ['sum', 'prod', 'max', 'min'] as const) {
    it(`${op} over every axes subset`, () => {
      for (const shape of shapes) {
        const x = randArray(rand, numel(shape), -1.5, 1.5).map(Math.fround);
        for (const axes of subsets(shape.length)) {
          expectClose(run(op, x, shape, axes), naive(op, x, shape, axes), 1e-5);
        }
      }
    });
  }

  for (const op of ['argmax', 'argmin'] as const) {
    it(`${op} over each axis with ties resolved to the first index`, () => {
      for (const shape of shapes) {
        // Few distinct values force ties.
        const x = randArray(rand, numel(shape), 0, 3).map(Math.floor);
        for (let axis = 0; axis < shape.length; axis++) {
          expect(run(op, x, shape, [axis])).toEqual(naive(op, x, shape, [axis]));
        }
      }
    });
  }

  it('max/min propagate NaN and argmax picks the first NaN', () => {
    const x = [1, Number.NaN, 3, 4, 5, 6];
    expect(run('max', x, [2, 3], [1])).toEqual([Number.NaN, 6]);
    expect(run('min', x, [2, 3], [0])).toEqual([1, Number.NaN, 3]);
    expect(run('argmax', [1, Number.NaN, 9, Number.NaN], [4], [0])).toEqual([1]);
    expect(run('argmax', [1, Number.NaN, 3, 4, 5, 6], [2, 3], [0])).toEqual([1, 0, 1]);
  });

  it('empty reductions give the identity', () => {
    expect(run('sum', [], [2, 0], [1])).toEqual([0, 0]);
    expect(run('prod', [], [0, 3], [0])).toEqual([1, 1, 1]);
    expect(run('max', [], [2, 0], [1])).toEqual([-Infinity, -Infinity]);
    expect(run('min', [], [0], [0])).toEqual([Infinity]);
    expect(run('sum', [], [0, 2], [1])).toEqual([]);
  });

  it('sum/prod of int32 and bool yield int32', () => {
    const s = be.reduce('sum', t([1, 0, 1, 1], [2, 2], 'bool'), [0, 1]);
    expect(s).toBeInstanceOf(Int32Array);
    expect(read(s, [], 'int32')).toEqual([3]);
    expect(run('prod', [2, 3, 4, 5], [2, 2], [1], 'int32')).toEqual([6, 20]);
    expect(be.reduce('max', t([1, 2], [2], 'int32'), [0])).toBeInstanceOf(Int32Array);
  });

  it('reducing a size-1 axis copies', () => {
    expect(run('sum', [1, 2, 3], [3, 1], [1])).toEqual([1, 2, 3]);
    expect(run('argmax', [1, 2, 3], [1, 3], [0])).toEqual([0, 0, 0]);
  });

  it('float32 sums accumulate in double precision', () => {
    const n = 100000;
    expect(run('sum', new Array(n).fill(0.1), [n], [0])[0]).toBeCloseTo(10000, 2);
  });
});
