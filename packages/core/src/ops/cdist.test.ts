// cdist beyond the op-table fixtures (table/cdist/*) and fixtures/linalg.json: PyTorch's choice
// between the product formula and pairwise differences, its refusals, and double backward.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { cdist, gradgradcheck, manualSeed, ones, randn, type Tensor, tensor, tidy } from '../index.js';

const f64 = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64' }).requiresGrad_(true);

/** The backward node's name: the product formula records EuclideanDistBackward. */
const nodeOf = (y: Tensor): string | undefined => (y.gradFn as { name?: string } | null)?.name;

describe('cdist', () => {
  it('uses the product formula for p = 2 exactly when PyTorch does', () => {
    tidy(() => {
      const at = (
        p: number,
        rows: number,
        mode?: 'use_mm_for_euclid_dist' | 'donot_use_mm_for_euclid_dist',
      ): string | undefined =>
        nodeOf(cdist(randn(rows, 3).requiresGrad_(true), randn(4, 3), { p, computeMode: mode }));
      expect(at(2, 25)).not.toBe('EuclideanDistBackward');
      expect(at(2, 26)).toBe('EuclideanDistBackward');
      expect(at(2, 3, 'use_mm_for_euclid_dist')).toBe('EuclideanDistBackward');
      expect(at(2, 30, 'donot_use_mm_for_euclid_dist')).not.toBe('EuclideanDistBackward');
      expect(at(1, 30)).not.toBe('EuclideanDistBackward');
      // The two formulas agree (to float32 rounding) away from zero distances.
      const a = randn(30, 3);
      const b = randn(28, 3);
      const byProduct = cdist(a, b).toArray() as number[][];
      const pairwise = cdist(a, b, 2, 'donot_use_mm_for_euclid_dist').toArray() as number[][];
      const want = pairwise.flat();
      for (const [i, d] of byProduct.flat().entries()) expect(d).toBeCloseTo(want[i], 3);
    });
  });

  it('gives every coordinate at the maximum the whole gradient for p = inf (PyTorch), unlike amax', () => {
    tidy(() => {
      const x1 = tensor([[0, 0]]).requiresGrad_(true);
      cdist(x1, tensor([[1, 1]]), Number.POSITIVE_INFINITY)
        .sum()
        .backward();
      expect(x1.grad!.toArray()).toEqual([[-1, -1]]);
    });
  });

  it('gives a zero gradient at zero distances (both formulas)', () => {
    tidy(() => {
      for (const mode of ['use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist'] as const) {
        const x = tensor([
          [1, 2],
          [1, 2],
        ]).requiresGrad_(true);
        cdist(x, tensor([[1, 2]]), { computeMode: mode })
          .sum()
          .backward();
        expect(x.grad!.toArray(), mode).toEqual([
          [0, 0],
          [0, 0],
        ]);
      }
    });
  });

  it('refuses what PyTorch refuses, naming cdist', () => {
    tidy(() => {
      expect(() => cdist(ones(2, 3, { dtype: 'int32' }), ones(2, 3, { dtype: 'int32' }))).toThrow(
        /cdist: only floating point dtypes are supported, x1 is int32/,
      );
      expect(() => cdist(ones(3), ones(3))).toThrow(/cdist: expected at least 2-D tensors/);
      expect(() => cdist(ones(2, 3), ones(2, 4))).toThrow(
        /cdist: x1 and x2 must have the same number of columns/,
      );
      expect(() => cdist(ones(2, 3), ones(2, 3), -1)).toThrow(/cdist: only supports non-negative p values/);
      expect(() => cdist(ones(2, 3), ones(2, 3), Number.NaN)).toThrow(/cdist: p must be a number/);
      expect(() => cdist(ones(2, 3), ones(2, 3, { dtype: 'float64' }))).toThrow(
        /cdist: expected both operands to have the same dtype/,
      );
      expect(() => cdist(ones(2, 2, 3), ones(3, 2, 3))).toThrow(/cdist/);
      expect(() => cdist(ones(2, 3), ones(2, 3), 2, 'x' as never)).toThrow(
        /cdist: computeMode must be one of/,
      );
      expect(cdist(ones(4, 1, 2, 3), ones(5, 2, 3)).shape).toEqual([4, 5, 2, 2]);
      expect(cdist(ones(0, 3), ones(2, 3)).shape).toEqual([0, 2]);
    });
  });

  it('differentiates twice (gradgradcheck) on both formulas and general p', () => {
    manualSeed(11);
    tidy(() => {
      expect(gradgradcheck((a, b) => cdist(a, b), [f64(3, 2), f64(4, 2)])).toBe(true);
      expect(gradgradcheck((a, b) => cdist(a, b, 2, 'use_mm_for_euclid_dist'), [f64(3, 2), f64(4, 2)])).toBe(
        true,
      );
      expect(gradgradcheck((a, b) => cdist(a, b, 3), [f64(2, 2), f64(3, 2)])).toBe(true);
      expect(gradgradcheck((a, b) => cdist(a, b, 1.5), [f64(2, 1, 2), f64(3, 2)])).toBe(true);
    });
  });
});
