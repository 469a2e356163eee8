// The products and diagonals of the op-table area linalg-ops.ts beyond their table cases (values,
// gradients, gradcheck and refusals against PyTorch: table.fixtures.test.ts): double backward,
// dtypes PyTorch keeps, and what integer products do instead of wrapping around.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  bmm,
  diag,
  diagEmbed,
  dot,
  gradgradcheck,
  manualSeed,
  mm,
  outer,
  randn,
  type Tensor,
  tensor,
  tidy,
  trace,
} from '../index.js';

const f64 = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64' }).requiresGrad_(true);

describe('products and diagonals', () => {
  it('differentiate twice (gradgradcheck)', () => {
    manualSeed(21);
    tidy(() => {
      expect(gradgradcheck((a, b) => mm(a, b), [f64(2, 3), f64(3, 2)])).toBe(true);
      expect(gradgradcheck((a, b) => bmm(a, b), [f64(2, 2, 3), f64(2, 3, 2)])).toBe(true);
      expect(gradgradcheck((a, b) => dot(a, b), [f64(4), f64(4)])).toBe(true);
      expect(gradgradcheck((a, b) => outer(a, b), [f64(2), f64(3)])).toBe(true);
      expect(gradgradcheck((a) => diag(a, -1), [f64(3)])).toBe(true);
      expect(gradgradcheck((a) => diag(a, 1), [f64(3, 4)])).toBe(true);
      expect(gradgradcheck((a) => diagEmbed(a, 1, 0, 2), [f64(2, 3)])).toBe(true);
      expect(gradgradcheck((a) => trace(a), [f64(3, 3)])).toBe(true);
    });
  });

  it('keep the dtype PyTorch keeps; integer products are exact and refuse to overflow', () => {
    tidy(() => {
      expect(diag(tensor([true, false])).toArray()).toEqual([
        [true, false],
        [false, false],
      ]);
      expect(
        trace(
          tensor(
            [
              [1, 2],
              [3, 4],
            ],
            { dtype: 'int32' },
          ),
        ).dtype,
      ).toBe('int64');
      const u8 = tensor([[200, 100]], { dtype: 'uint8' });
      // PyTorch wraps 200·1 + 100·1 = 300 to 44; here that is an error, never a wrapped value.
      expect(() => mm(u8, tensor([[1], [1]], { dtype: 'uint8' }))).toThrow(/300/);
      expect(() => mm(tensor([[true]]), tensor([[true]]))).toThrow(/mm: not implemented for bool tensors/);
      expect(() => dot(tensor([1, 2]), tensor([1, 2], { dtype: 'float64' }))).toThrow(
        /dot: expected both vectors to have the same dtype, got float32 and float64/,
      );
      expect(
        diag(
          tensor([
            [1, 2],
            [3, 4],
          ]),
          5,
        ).shape,
      ).toEqual([0]);
    });
  });

  it('are Tensor methods', () => {
    tidy(() => {
      const a = tensor([
        [1, 2],
        [3, 4],
      ]);
      expect(a.mm(a).toArray()).toEqual(mm(a, a).toArray());
      expect(a.unsqueeze(0).bmm(a.unsqueeze(0)).shape).toEqual([1, 2, 2]);
      expect(a.diag().toArray()).toEqual([1, 4]);
      expect(a.trace().item()).toBe(5);
      expect(a.diagEmbed().shape).toEqual([2, 2, 2]);
      expect(
        tensor([1, 2])
          .dot(tensor([3, 4]))
          .item(),
      ).toBe(11);
      expect(
        tensor([1, 2])
          .outer(tensor([3]))
          .toArray(),
      ).toEqual([[3], [6]]);
    });
  });
});
