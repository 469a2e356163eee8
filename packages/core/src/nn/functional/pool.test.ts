import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, manualSeed, randn, type TensorData, tensor, zeros } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { avgPool2d, maxPool2d, maxPool2dWithIndices } from './pool.js';
import { adaptiveAvgPool2d } from './pool-adaptive.js';

const ft = (data: TensorData) => tensor(data, { dtype: 'float32' });

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('maxPool2d', () => {
  it('takes window maxima and routes the gradient to the argmax', () => {
    const x = arange(16).reshape(1, 1, 4, 4).float().requiresGrad_(true);
    const [y, idx] = maxPool2dWithIndices(x, 2);
    expect(y.toArray()).toEqual([
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    expect(idx.toArray()).toEqual([
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [0, 0, 0, 0],
          [0, 1, 0, 1],
          [0, 0, 0, 0],
          [0, 1, 0, 1],
        ],
      ],
    ]);
  });

  it('passes gradcheck with stride, padding, dilation and ceil mode', () => {
    manualSeed(5);
    gradchecks((x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [f64(2, 2, 5, 6)]);
    gradchecks((x) => maxPool2d(x, [2, 3], { stride: [1, 2], dilation: [2, 1] }), [f64(1, 2, 5, 7)]);
  });

  it('accepts [C, H, W] and rejects bad arguments', () => {
    expect(maxPool2d(randn([3, 6, 6]), 2).shape).toEqual([3, 3, 3]);
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(/at most half of the kernel/);
    expect(() => maxPool2d(zeros([4, 4]), 2)).toThrow(
      'maxPool2d: expected input [N, C, H, W] or [C, H, W], got [4,4]',
    );
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), 3)).toThrow(/output size \[0, 0\] is too small/);
  });
});

describe('avgPool2d', () => {
  it('divides by the window size, with or without padded taps', () => {
    const x = ft([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    expect(avgPool2d(x, 2, { stride: 1 }).toArray()).toEqual([
      [
        [
          [3, 4],
          [6, 7],
        ],
      ],
    ]);
    expect(avgPool2d(x, 3, { stride: 3, padding: 1 }).dataSync()[0]).toBeCloseTo(12 / 9, 6);
    expect(avgPool2d(x, 3, { stride: 3, padding: 1, countIncludePad: false }).dataSync()[0]).toBeCloseTo(
      3,
      6,
    );
    expect(avgPool2d(x, 3, { divisorOverride: 2 }).toArray()).toEqual([[[[22.5]]]]);
  });

  it('passes gradcheck with padding, ceil mode and both divisor rules', () => {
    manualSeed(6);
    gradchecks((x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [f64(1, 2, 6, 5)]);
    gradchecks(
      (x) => avgPool2d(x, [2, 3], { stride: [2, 1], padding: [1, 1], countIncludePad: false }),
      [f64(2, 1, 5, 4)],
    );
  });
});

describe('adaptiveAvgPool2d', () => {
  it('uses PyTorch windows (floor start, ceil end) and passes gradcheck', () => {
    const x = arange(5).reshape(1, 1, 1, 5).float();
    // windows of 5 → 3: [0,2), [1,4), [3,5)
    expect(adaptiveAvgPool2d(x, [1, 3]).toArray()).toEqual([[[[0.5, 2, 3.5]]]]);
    expect(adaptiveAvgPool2d(randn([2, 3, 4, 6]), 1).shape).toEqual([2, 3, 1, 1]);
    expect(adaptiveAvgPool2d(randn([3, 4, 6]), [null, 2]).shape).toEqual([3, 4, 2]);
    manualSeed(7);
    gradchecks((t) => adaptiveAvgPool2d(t, [3, 2]), [f64(2, 2, 7, 5)]);
    gradchecks((t) => adaptiveAvgPool2d(t, 2), [f64(1, 2, 4, 4)]);
    expect(() => adaptiveAvgPool2d(randn([1, 1, 4, 4]), [0, 2])).toThrow(
      /outputSize must be a positive integer/,
    );
  });
});
