import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, gradcheck, gradgradcheck, manualSeed, randn, tensor, zeros } from '../../index.js';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveMaxPool2dWithIndices,
} from './pool-adaptive.js';

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('adaptive pooling', () => {
  it('uses PyTorch windows (floor start, ceil end)', () => {
    const x = arange(5).reshape(1, 1, 5).float();
    // windows of 5 → 3: [0,2), [1,4), [3,5)
    expect(adaptiveAvgPool1d(x, 3).toArray()).toEqual([[[0.5, 2, 3.5]]]);
    expect(adaptiveMaxPool1d(x, 3).toArray()).toEqual([[[1, 3, 4]]]);
    const [v, i] = adaptiveMaxPool1d(tensor([[[3, 1, 3, 2, 0]]]), 2, true);
    // windows [0,3), [2,5): the first maximum wins a tie, as PyTorch's
    expect(v.toArray()).toEqual([[[3, 3]]]);
    expect(i.toArray()).toEqual([[[0, 2]]]);
    expect(adaptiveMaxPool2d(randn([3, 4, 6]), [null, 2]).shape).toEqual([3, 4, 2]);
    expect(adaptiveAvgPool2d(randn([3, 4, 6]), [null, 2]).shape).toEqual([3, 4, 2]);
    const [m, idx] = adaptiveMaxPool2dWithIndices(arange(12).reshape(1, 1, 3, 4).float(), [2, 2]);
    expect(m.toArray()).toEqual([
      [
        [
          [5, 7],
          [9, 11],
        ],
      ],
    ]);
    expect(idx.toArray()).toEqual([
      [
        [
          [5, 7],
          [9, 11],
        ],
      ],
    ]);
  });

  it('passes gradcheck and gradgradcheck (also growing sizes)', () => {
    manualSeed(8);
    gradcheck((t) => adaptiveAvgPool1d(t, 4), [f64(2, 2, 9)]);
    gradcheck((t) => adaptiveAvgPool1d(t, 7), [f64(1, 2, 4)]);
    gradcheck((t) => adaptiveMaxPool1d(t, 3), [f64(2, 2, 8)]);
    gradcheck((t) => adaptiveMaxPool2d(t, [3, 2]), [f64(2, 2, 7, 5)]);
    gradcheck((t) => adaptiveMaxPool2d(t, [5, 6]), [f64(1, 1, 3, 4)]);
    gradgradcheck((t) => adaptiveMaxPool2d(t, [2, 3]), [f64(1, 2, 5, 5)]);
    gradgradcheck((t) => adaptiveAvgPool1d(t, 3), [f64(1, 2, 7)]);
  });

  it('names bad output sizes', () => {
    expect(() => adaptiveMaxPool2d(zeros([1, 1, 4, 4]), [0, 2])).toThrow(
      /adaptiveMaxPool2d: outputSize must be a positive integer/,
    );
    expect(() => adaptiveAvgPool1d(zeros([1, 1, 4]), [null] as never)).toThrow(
      /outputSize must be a positive integer/,
    );
    expect(() => adaptiveMaxPool1d(zeros([1, 4]) as never, [2, 2])).toThrow(/outputSize/);
    expect(() => adaptiveMaxPool2d(zeros([4]), 2)).toThrow(/expected input \[N, C, H, W\] or \[C, H, W\]/);
  });
});
