import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, manualSeed, rand, randn, tensor } from '../../index.js';
import { lpPool1d, lpPool2d } from './pool-lp.js';

describe('lpPool1d / lpPool2d', () => {
  it('compute (Σ x^p)^(1/p) over each window', () => {
    expect(lpPool1d(tensor([[[3, 4, 1, 1]]]), 2, 2).toArray()).toEqual([[[5, Math.fround(Math.SQRT2)]]]);
    expect(
      lpPool2d(
        tensor([
          [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        ]),
        1,
        2,
      ).item(),
    ).toBe(10);
  });

  it('pass gradcheck and gradgradcheck', () => {
    manualSeed(10);
    const pos = (...s: number[]) => rand(s, { dtype: 'float64' }).add(0.5).requiresGrad_(true);
    gradcheck(
      (x) => lpPool2d(x, 2, 3, { stride: 2 }),
      [randn([1, 2, 6, 5], { dtype: 'float64', requiresGrad: true })],
    );
    gradcheck((x) => lpPool2d(x, 1.5, [2, 3], { stride: 2, ceilMode: true }), [pos(1, 2, 5, 7)]);
    gradcheck((x) => lpPool1d(x, 3, 2), [pos(2, 2, 7)]);
    gradgradcheck((x) => lpPool2d(x, 2, 2), [pos(1, 2, 4, 4)]);
  });
});
