// linalg.vectorNorm / matrixNorm / norm beyond the PyTorch fixtures (linalg.fixtures.test.ts):
// the refusals PyTorch makes (with ours naming the op), the calling forms, and double backward.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  gradgradcheck,
  linalg,
  manualSeed,
  ones,
  randn,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '../index.js';

const f64 = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64' }).requiresGrad_(true);

describe('linalg norms', () => {
  it('take ord, dim, keepdim positionally or by name', () => {
    tidy(() => {
      const x = tensor([
        [3, -4],
        [0, 12],
      ]);
      expect(linalg.vectorNorm(x, 2, 1, true).toArray()).toEqual([[5], [12]]);
      expect(linalg.vectorNorm(x, { dim: 1, keepdim: true }).toArray()).toEqual([[5], [12]]);
      expect(linalg.vectorNorm(x, 1, [0, 1]).item()).toBe(19);
      expect(linalg.vectorNorm(x, 0).item()).toBe(3);
      expect(linalg.vectorNorm(x, Number.POSITIVE_INFINITY, null).item()).toBe(12);
      expect(linalg.matrixNorm(x, 1).item()).toBe(16); // column sums 3, 16
      expect(linalg.matrixNorm(x, Number.POSITIVE_INFINITY).item()).toBe(12); // row sums 7, 12
      expect(linalg.matrixNorm(x, -1, [1, 0]).item()).toBe(7); // dims swapped: row sums, min
      expect(linalg.norm(x).item()).toBe(13);
      expect(linalg.norm(x, null, 0).toArray()).toEqual([3, 12.649110794067383]);
      expect(linalg.norm(x, 'fro', [0, 1], true).shape).toEqual([1, 1]);
    });
  });

  it('refuse what PyTorch refuses, naming the op', () => {
    tidy(() => {
      const ints = tensor([1, 2], { dtype: 'int64' });
      expect(() => linalg.vectorNorm(ints)).toThrow(
        /linalg\.vectorNorm: expected a floating point tensor as input, got int64/,
      );
      expect(() => linalg.norm(ints)).toThrow(/linalg\.norm: expected a floating point tensor/);
      expect(() => linalg.vectorNorm(ones(2, { dtype: 'float64' }), { dtype: 'float32' })).toThrow(
        /should be convertible without narrowing to the specified dtype \(float32\)/,
      );
      expect(linalg.vectorNorm(ones(4), { dtype: 'float64' }).dtype).toBe('float64');
      expect(() => linalg.vectorNorm(zeros(0), Number.POSITIVE_INFINITY)).toThrow(
        /linalg\.vectorNorm: cannot compute the Infinity norm over an empty dim/,
      );
      expect(() => linalg.vectorNorm(zeros(0, 3), -1, 0)).toThrow(
        /cannot compute the -1 norm over an empty dim/,
      );
      expect(linalg.vectorNorm(zeros(0, 3), Number.POSITIVE_INFINITY, 1).shape).toEqual([0]);
      expect(linalg.vectorNorm(zeros(0)).item()).toBe(0);
      expect(() => linalg.vectorNorm(ones(2, 2), 2, [0, 0])).toThrow(/appears more than once/);
      expect(() => linalg.matrixNorm(ones(3))).toThrow(
        /linalg\.matrixNorm: the input tensor A must have at least 2 dimensions/,
      );
      expect(() => linalg.matrixNorm(ones(2, 2), 'nuc')).toThrow(
        /linalg\.matrixNorm: ord "nuc" needs the singular values \(SVD\), which are not implemented/,
      );
      expect(() => linalg.matrixNorm(ones(2, 2), 2)).toThrow(/needs the singular values/);
      expect(() => linalg.matrixNorm(ones(2, 2), -2)).toThrow(/needs the singular values/);
      expect(() => linalg.matrixNorm(ones(2, 2), 3)).toThrow(/linalg\.matrixNorm: order 3 not supported/);
      expect(() => linalg.matrixNorm(ones(2, 2), 1, [0, 0])).toThrow(/dims must be different/);
      expect(() => linalg.matrixNorm(ones(2, 2), 1, [0])).toThrow(/dim must be a pair of dims/);
      expect(() => linalg.norm(ones(2, 3, 4), 2)).toThrow(
        /linalg\.norm: if dim is not given but ord is, the input must be 1-D or 2-D, got shape \[2,3,4\]/,
      );
      expect(() => linalg.norm(ones(4), 'fro')).toThrow(/at least 2 dimensions/);
      expect(() => linalg.norm(ones(4, 3), 'fro', 1)).toThrow(/dim must be a pair of dims/);
      expect(() => linalg.norm(ones(2, 3, 4), null, [0, 1, 2])).toThrow(
        /if dim is given, it must hold 1 or 2 dims/,
      );
      expect(() => linalg.vectorNorm(ones(2), 'fro' as never)).toThrow(/vectorNorm: ord must be a number/);
      expect(() => linalg.vectorNorm(ones(2), { out: ones(1) } as never)).toThrow(/'out' is not supported/);
    });
  });

  it('give a zero gradient where the norm or (0 < ord < 1) an element is 0, as PyTorch', () => {
    tidy(() => {
      const x = zeros(3).requiresGrad_(true);
      linalg.vectorNorm(x).backward();
      expect(x.grad!.toArray()).toEqual([0, 0, 0]);
      const y = tensor([0, 2]).requiresGrad_(true);
      linalg.vectorNorm(y, 0).backward(); // ord 0 counts: a zero gradient that still reaches y
      expect(y.grad!.toArray()).toEqual([0, 0]);
    });
  });

  it('float16 norms compute in float32 and round once', () => {
    tidy(() => {
      const h = tensor([3, 4]).half();
      const n = linalg.vectorNorm(h);
      expect(n.dtype).toBe('float16');
      expect(n.item()).toBe(5);
    });
  });

  it('differentiate twice (gradgradcheck)', () => {
    manualSeed(5);
    tidy(() => {
      expect(gradgradcheck((x) => linalg.vectorNorm(x, 2, 1), [f64(2, 3)])).toBe(true);
      expect(gradgradcheck((x) => linalg.vectorNorm(x, 3), [f64(4)])).toBe(true);
      expect(gradgradcheck((x) => linalg.vectorNorm(x, 0.5, 0), [f64(3, 2)])).toBe(true);
      expect(gradgradcheck((x) => linalg.matrixNorm(x, 'fro'), [f64(2, 3, 2)])).toBe(true);
      expect(gradgradcheck((x) => linalg.norm(x, Number.POSITIVE_INFINITY), [f64(3, 3)])).toBe(true);
    });
  });
});
