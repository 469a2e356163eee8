import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, ones, randn, type TensorData, tensor, zeros } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { batchNorm, layerNorm } from './norm.js';

const ft = (data: TensorData) => tensor(data, { dtype: 'float32' });

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('batchNorm', () => {
  it('normalises per channel with batch stats and updates running stats (unbiased variance)', () => {
    const x = ft([
      [1, 10],
      [3, 20],
    ]);
    const rm = zeros([2]);
    const rv = ones([2]);
    const y = batchNorm(x, rm, rv, null, null, true, 0.1, 0);
    expect(y.toArray()).toEqual([
      [-1, -1],
      [1, 1],
    ]);
    expect(rm.dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(rm.dataSync()[1]).toBeCloseTo(1.5, 6);
    // unbiased variances 2 and 50
    expect(rv.dataSync()[0]).toBeCloseTo(0.9 + 0.2, 6);
    expect(rv.dataSync()[1]).toBeCloseTo(0.9 + 5, 6);
    // eval uses the running stats
    const e = batchNorm(ft([[0.2, 1.5]]), rm, rv, ft([2, 2]), ft([1, 1]), false);
    expect(e.dataSync()[0]).toBeCloseTo(1, 5);
  });

  it('passes gradcheck in training for [N, C], [N, C, L] and [N, C, H, W]', () => {
    manualSeed(8);
    gradchecks((x, w, b) => batchNorm(x, null, null, w, b, true), [f64(4, 3), f64(3), f64(3)]);
    gradchecks((x, w, b) => batchNorm(x, null, null, w, b, true, 0.1, 1e-3), [f64(2, 2, 3), f64(2), f64(2)]);
    gradchecks((x) => batchNorm(x, null, null, null, null, true), [f64(2, 2, 2, 3)]);
    const rm = randn([2], { dtype: 'float64' });
    const rv = randn([2], { dtype: 'float64' }).abs().add(0.5);
    gradchecks((x, w) => batchNorm(x, rm, rv, w, null, false), [f64(2, 2, 3), f64(2)]);
  });

  it('rejects bad input', () => {
    expect(() => batchNorm(randn([1, 3]), null, null, null, null, true)).toThrow(
      /more than 1 value per channel/,
    );
    expect(() => batchNorm(randn([2, 3]), zeros([4]), ones([4]))).toThrow(/runningMean of shape \[3\]/);
    expect(() => batchNorm(randn([2, 3]), null, null)).toThrow(/must be given in evaluation mode/);
  });
});

describe('layerNorm', () => {
  it('normalises the trailing dims and passes gradcheck', () => {
    const y = layerNorm(ft([[1, 2, 3]]), [3], null, null, 0);
    const s = Math.sqrt(2 / 3);
    expect([...y.dataSync()].map((v) => Number(v.toFixed(5)))).toEqual(
      [-1 / s, 0, 1 / s].map((v) => Number(v.toFixed(5))),
    );
    manualSeed(9);
    gradchecks((x, w, b) => layerNorm(x, 4, w, b), [f64(2, 3, 4), f64(4), f64(4)]);
    gradchecks((x, w) => layerNorm(x, [2, 3], w), [f64(2, 2, 3), f64(2, 3)]);
    expect(() => layerNorm(randn([2, 5]), [4])).toThrow(
      'layerNorm: normalizedShape [4] must match the last dims of input [2, 5]',
    );
  });
});
