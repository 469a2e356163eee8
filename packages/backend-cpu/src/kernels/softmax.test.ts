import type { Shape } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, numel, randArray, ravel, read, rng, t, unravel } from '../../test/helpers.js';

function naive(x: number[], shape: Shape, axis: number, log: boolean): number[] {
  return x.map((_, i) => {
    const idx = unravel(i, shape);
    const row = Array.from({ length: shape[axis] }, (_, k) => {
      const j = idx.slice();
      j[axis] = k;
      return x[ravel(j, shape)];
    });
    const m = Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    return log ? x[i] - m - Math.log(s) : Math.exp(x[i] - m) / s;
  });
}

describe('softmax / logSoftmax', () => {
  const rand = rng(3);
  for (const shape of [[7], [3, 5], [2, 3, 4]] as Shape[]) {
    it(`matches the naive definition on every axis of [${shape}]`, () => {
      const x = randArray(rand, numel(shape), -4, 4);
      for (let axis = 0; axis < shape.length; axis++) {
        const xi = t(x, shape, 'float64');
        expectClose(read(be.softmax(xi, axis), shape, 'float64'), naive(x, shape, axis, false), 1e-13);
        expectClose(read(be.logSoftmax(xi, axis), shape, 'float64'), naive(x, shape, axis, true), 1e-13);
      }
    });
  }

  it('is stable for large logits and rows of -Infinity', () => {
    const x = t([1000, 1001, -Infinity, -Infinity], [2, 2]);
    expectClose(read(be.softmax(x, 1), [2, 2]), [0.2689414, 0.7310586, Number.NaN, Number.NaN], 1e-6);
    const y = t([1000, 1001, 0, -Infinity], [2, 2]);
    expectClose(read(be.logSoftmax(y, 1), [2, 2]), [-1.3132616, -0.3132616, 0, -Infinity], 1e-6);
    expectClose(read(be.softmax(y, 0), [2, 2]), [1, 1, 0, 0], 1e-6);
  });

  it('keeps float32 storage', () => {
    expect(be.softmax(t([1, 2], [2]), 0)).toBeInstanceOf(Float32Array);
  });
});
