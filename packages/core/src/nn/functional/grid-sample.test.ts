import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  gradcheck,
  gradgradcheck,
  manualSeed,
  memory,
  rand,
  randn,
  tensor,
  tidy,
  zeros,
} from '../../index.js';
import { affineGrid } from './affine-grid.js';
import { gridSample } from './grid-sample.js';

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });
/** Grid coordinates in [−1.3, 1.3] (some outside the input, to exercise the padding). */
const grid = (...shape: number[]) => rand(shape, { dtype: 'float64' }).mul(2.6).sub(1.3).requiresGrad_(true);

describe('affineGrid + gridSample', () => {
  it('the identity transform with alignCorners reproduces the input', () => {
    manualSeed(11);
    const x = randn([2, 3, 4, 5]);
    const theta = tensor([
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
    ]).expand(2, 2, 3);
    for (const alignCorners of [true, false]) {
      const g = affineGrid(theta, [2, 3, 4, 5], alignCorners);
      const y = gridSample(x, g, { alignCorners });
      expect(y.sub(x).abs().max().item()).toBeLessThan(1e-5);
      expect(gridSample(x, g, 'nearest', 'zeros', alignCorners).sub(x).abs().max().item()).toBeLessThan(1e-5);
    }
    const x3 = randn([1, 2, 3, 4, 2]);
    const t3 = tensor([
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    ]);
    expect(
      gridSample(x3, affineGrid(t3, [1, 2, 3, 4, 2], true), { alignCorners: true })
        .sub(x3)
        .abs()
        .max()
        .item(),
    ).toBeLessThan(1e-5);
  });

  it('reads zeros, the border or a reflection outside the input', () => {
    const x = tensor([[[[1, 2, 3]]]]);
    const at = (v: number) => tensor([[[[v, 0]]]]);
    const s = (v: number, paddingMode: 'zeros' | 'border' | 'reflection') =>
      gridSample(x, at(v), { paddingMode, alignCorners: true }).item();
    expect([s(-2, 'zeros'), s(-2, 'border'), s(1.5, 'reflection'), s(-1.5, 'reflection')]).toEqual([
      0, 1, 2.5, 1.5,
    ]);
  });

  it('pass gradcheck and gradgradcheck in the input, the grid and theta', () => {
    manualSeed(12);
    for (const paddingMode of ['zeros', 'border', 'reflection'] as const) {
      for (const alignCorners of [false, true]) {
        gradcheck(
          (x, g) => gridSample(x, g, { paddingMode, alignCorners }),
          [f64(1, 2, 3, 4), grid(1, 2, 3, 2)],
        );
      }
    }
    gradcheck((x, g) => gridSample(x, g, { alignCorners: false }), [f64(1, 1, 2, 3, 2), grid(1, 2, 2, 1, 3)]);
    gradcheck(
      (x, g) => gridSample(x, g, { mode: 'nearest', alignCorners: false }),
      [f64(1, 2, 3, 4), grid(1, 2, 2, 2)],
    );
    gradgradcheck(
      (x, g) => gridSample(x, g, { paddingMode: 'reflection', alignCorners: false }),
      [f64(1, 2, 3, 4), grid(1, 2, 3, 2)],
    );
    gradcheck((t) => affineGrid(t, [2, 1, 3, 4], false), [f64(2, 2, 3)]);
    gradcheck((t) => affineGrid(t, [1, 1, 2, 3, 2], true), [f64(1, 3, 4)]);
    gradgradcheck(
      (t, x) => gridSample(x, affineGrid(t, [1, 2, 3, 3], false), { alignCorners: false }),
      [f64(1, 2, 3), f64(1, 2, 4, 4)],
    );
  });

  it('nearest gives the grid a zero gradient, as PyTorch', () => {
    const g = grid(1, 2, 2, 2).detach().float().requiresGrad_(true);
    gridSample(randn([1, 1, 3, 3]), g, { mode: 'nearest', alignCorners: true })
      .sum()
      .backward();
    expect(g.grad!.abs().sum().item()).toBe(0);
  });

  it('leaks nothing and names bad arguments', () => {
    const before = memory().numTensors;
    tidy(() => {
      gridSample(randn([1, 1, 3, 3]), zeros([1, 2, 2, 2]), { alignCorners: true });
    });
    expect(memory().numTensors).toBe(before);
    expect(() => gridSample(zeros([1, 1, 3, 3]), zeros([1, 2, 2, 3]))).toThrow(
      'gridSample: expected grid [1, oH, oW, 2] for input [1, 1, 3, 3], got [1, 2, 2, 3]',
    );
    expect(() => gridSample(zeros([1, 1, 3, 3]), zeros([1, 2, 2, 2]), { mode: 'bicubic' })).toThrow(
      /'bicubic' is not supported/,
    );
    expect(() => gridSample(zeros([1, 1, 3, 3]), zeros([1, 2, 2, 2], { dtype: 'float64' }))).toThrow(
      /same dtype/,
    );
    expect(() => affineGrid(zeros([1, 2, 3]), [1, 1, 2, 2, 2])).toThrow(
      /affine matrices of shape \[N, 3, 4\]/,
    );
    expect(() => affineGrid(zeros([2, 2, 3]), [1, 1, 2, 2])).toThrow(/asks for N = 1/);
    expect(() => affineGrid(zeros([1, 2, 3]), [1, 1, 2])).toThrow(/only 4-D and 5-D sizes/);
  });
});
