import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, gradcheck, gradgradcheck, manualSeed, memory, randn, tidy, zeros } from '../../index.js';
import { maxPool2d } from './pool.js';
import { avgPool1d, avgPool3d, maxPool1d, maxPool1dWithIndices, maxPool3d } from './pool-nd.js';

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('maxPool1d / maxPool3d', () => {
  it('return PyTorch flat indices (int64) and route gradients to them', () => {
    const x = arange(8).reshape(1, 1, 8).float().requiresGrad_(true);
    const [y, idx] = maxPool1d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    expect(y.toArray()).toEqual([[[1, 3, 5, 7]]]);
    expect(idx.dtype).toBe('int64');
    expect(idx.toArray()).toEqual([[[1, 3, 5, 7]]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[[0, 1, 0, 1, 0, 1, 0, 1]]]);
    const v = arange(27).reshape(1, 1, 3, 3, 3).float();
    const [m, i3] = maxPool3d(v, 2, { stride: 1, returnIndices: true });
    expect(m.flatten().toArray()).toEqual([13, 14, 16, 17, 22, 23, 25, 26]);
    expect(i3.flatten().toArray()).toEqual([13, 14, 16, 17, 22, 23, 25, 26]);
    expect(maxPool1dWithIndices(x.detach(), 2)[1].shape).toEqual([1, 1, 4]);
  });

  it('pass gradcheck and gradgradcheck (padding, dilation, ceil mode)', () => {
    manualSeed(5);
    gradcheck((x) => maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), [f64(2, 2, 9)]);
    gradcheck(
      (x) => maxPool3d(x, [2, 3, 2], { stride: 2, padding: [1, 1, 0], ceilMode: true }),
      [f64(1, 2, 4, 5, 4)],
    );
    gradcheck((x) => maxPool3d(x, 2, { dilation: [1, 2, 1], stride: 1 }), [f64(1, 1, 3, 4, 3)]);
    gradgradcheck((x) => maxPool3d(x, 2, { stride: 1 }), [f64(1, 2, 3, 3, 3)]);
    gradgradcheck((x) => maxPool2d(x, 2, { stride: 1 }), [f64(1, 2, 3, 3)]);
    gradgradcheck((x) => maxPool1d(x, 2), [f64(1, 2, 6)]);
  });

  it('accept unbatched inputs and name bad arguments', () => {
    const before = memory().numTensors;
    tidy(() => {
      expect(maxPool3d(randn([2, 4, 4, 4]), 2).shape).toEqual([2, 2, 2, 2]);
      const [v, i] = maxPool1d(randn([3, 8]), 2, { returnIndices: true });
      expect([v.shape, i.shape]).toEqual([
        [3, 4],
        [3, 4],
      ]);
    });
    expect(memory().numTensors).toBe(before);
    expect(() => maxPool3d(zeros([4, 4]), 2)).toThrow(
      'maxPool3d: expected input [N, C, D, H, W] or [C, D, H, W], got [4, 4]',
    );
    expect(() => maxPool3d(zeros([1, 1, 4, 4, 4]), 2, { padding: 2 })).toThrow(
      /at most half of the kernel size/,
    );
    expect(() => maxPool1d(zeros([1, 1, 4]), 2, { padding: 2 })).toThrow(
      /maxPool1d: padding \[0, 2\] should be at most half/,
    );
    expect(() => maxPool3d(zeros([1, 1, 2, 4, 4]), 3)).toThrow(/output size \[0, 1, 1\] is too small/);
  });
});

describe('avgPool1d / avgPool3d', () => {
  it('use PyTorch divisors', () => {
    const x = arange(1, 6).reshape(1, 1, 5).float(); // 1..5
    expect(avgPool1d(x, 3, 2, 1).toArray()).toEqual([[[1, 3, 3]]]); // (0+1+2)/3, (2+3+4)/3, (4+5+0)/3
    expect(avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).toArray()).toEqual([
      [[1.5, 3, 4.5]],
    ]);
    const v = zeros([1, 1, 2, 2, 2]).add(1);
    expect(avgPool3d(v, 2, { divisorOverride: 4 }).item()).toBe(2);
    expect(avgPool3d(v, 3, { stride: 1, padding: 1, countIncludePad: false }).flatten().toArray()).toEqual(
      new Array(8).fill(1),
    );
  });

  it('pass gradcheck and gradgradcheck', () => {
    manualSeed(6);
    gradcheck(
      (x) => avgPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      [f64(2, 2, 8)],
    );
    gradcheck((x) => avgPool3d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [f64(1, 2, 5, 4, 5)]);
    gradcheck((x) => avgPool3d(x, [2, 1, 2], { divisorOverride: 3 }), [f64(1, 1, 4, 3, 4)]);
    gradgradcheck((x) => avgPool3d(x, 2, { stride: 1, padding: 1 }), [f64(1, 2, 3, 3, 3)]);
    gradgradcheck((x) => avgPool1d(x, 2, { stride: 1, padding: 1, countIncludePad: false }), [f64(1, 2, 5)]);
  });

  it('name bad arguments', () => {
    expect(() => avgPool3d(zeros([1, 1, 4, 4, 4]), 2, { divisorOverride: 0 })).toThrow(
      /divisorOverride must be positive/,
    );
    expect(() => avgPool1d(zeros([1, 1, 4]), [2, 2])).toThrow(
      /avgPool1d: kernelSize must be an integer >= 1/,
    );
  });
});
