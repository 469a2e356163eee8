// cdist: p-norm distances between the rows of two batches of matrices, PyTorch's torch.cdist.
// Two paths, chosen as PyTorch 1.13 chooses them, so values and gradients follow the same
// formula: for p = 2 with more than 25 rows on either side (or compute_mode
// 'use_mm_for_euclid_dist') the distances come from one matrix product
// (|a|² + |b|² − 2a·b, clamped at 0, square-rooted; PyTorch's _euclidean_dist), otherwise from
// the differences of every pair of rows. Gradients follow PyTorch's cdist backward: 0 where a
// distance is 0, and for p = inf every coordinate at the maximum gets the whole gradient.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { num, oneOf, opt, type PosOrOpts, req, signature as sig, tensor } from '../signature/signature.js';
import { full } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { clamp, div, eq, mul, ne, sub, where } from './binary.js';
import { cast } from './convert.js';
import { cat } from './join.js';
import { maskedPow } from './masked-pow.js';
import { checkMatmulDtypes, matmul } from './matmul.js';
import { abs, sign, sqrt } from './pointwise.js';
import { amax, sum } from './reduce.js';
import { transpose, unsqueeze } from './shape.js';
import { unbroadcast } from './unbroadcast.js';
import { checkSameDevice, checkTensor } from './util.js';
import { withZeroGrad } from './zero-grad.js';

/** PyTorch's compute modes (the strings torch.cdist takes). */
export type CdistComputeMode =
  | 'use_mm_for_euclid_dist_if_necessary'
  | 'use_mm_for_euclid_dist'
  | 'donot_use_mm_for_euclid_dist';

/** cdist(x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary') */
export const CDIST = sig('cdist', [
  req('x1', tensor),
  req('x2', tensor),
  opt('p', num),
  opt(
    'computeMode',
    oneOf(
      'use_mm_for_euclid_dist_if_necessary',
      'use_mm_for_euclid_dist',
      'donot_use_mm_for_euclid_dist',
      null,
    ),
  ),
]);

/** Options of {@link cdist}. */
export interface CdistOptions {
  /**
   * The p of the p-norm distance (default 2; 0 counts differing elements, Infinity is the largest
   * difference).
   */
  p?: number;
  /**
   * PyTorch's `compute_mode`: whether the Euclidean distance goes through a matrix product (default
   * `'use_mm_for_euclid_dist_if_necessary'`).
   */
  computeMode?: CdistComputeMode | null;
}

/**
 * The `p`-norm distance between each row of `x1` (`[..., P, M]`) and each row of `x2`
 * (`[..., R, M]`): a `[..., P, R]` tensor, batch dims broadcast. `p` is any value >= 0
 * (`Infinity` for the largest coordinate difference); `computeMode` picks, for p = 2, the
 * matrix-product formula ('use_mm_for_euclid_dist'), the pairwise differences
 * ('donot_use_mm_for_euclid_dist'), or, by default, the product when P or R exceeds 25, as PyTorch does.
 *
 * ```ts
 * cdist(a, b);                 // Euclidean distances
 * cdist(a, b, 1);              // Manhattan
 * cdist(a, b, { p: Infinity }); // Chebyshev
 * ```
 */
export function cdist(
  x1: Tensor,
  x2: Tensor,
  ...rest: PosOrOpts<[p: number, computeMode: CdistComputeMode | null], CdistOptions>
): Tensor {
  const a = CDIST.parse<{ x1: Tensor; x2: Tensor } & CdistOptions>([x1, x2, ...rest]);
  const p = a.p ?? 2;
  checkOperands(a.x1, a.x2, p);
  const [P, R] = [a.x1.shape[a.x1.ndim - 2], a.x2.shape[a.x2.ndim - 2]];
  const mode = a.computeMode ?? 'use_mm_for_euclid_dist_if_necessary';
  const useMm =
    p === 2 &&
    a.x1.numel() > 0 &&
    a.x2.numel() > 0 &&
    (mode === 'use_mm_for_euclid_dist' ||
      (mode === 'use_mm_for_euclid_dist_if_necessary' && (P > 25 || R > 25)));
  return useMm ? euclideanByProduct(a.x1, a.x2) : pairwise(a.x1, a.x2, p);
}

function checkOperands(x1: Tensor, x2: Tensor, p: number): void {
  checkTensor('cdist', x1, 'x1');
  checkTensor('cdist', x2, 'x2');
  checkSameDevice('cdist', x1, x2);
  for (const [name, x] of [
    ['x1', x1],
    ['x2', x2],
  ] as const) {
    if (!isFloat(x.dtype)) {
      throw new Error(
        `cdist: only floating point dtypes are supported, ${name} is ${x.dtype} ${fmtShape(x.shape)}`,
      );
    }
    if (x.ndim < 2) {
      throw new Error(
        `cdist: expected at least 2-D tensors [..., rows, M], ${name} has shape ${fmtShape(x.shape)}`,
      );
    }
  }
  if (x1.dtype !== x2.dtype) checkMatmulDtypes('cdist', x1, x2);
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new Error(
      `cdist: x1 and x2 must have the same number of columns, got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`,
    );
  }
  broadcastShapes('cdist', x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  if (!(p >= 0)) throw new Error(`cdist: only supports non-negative p values, got p = ${p}`);
}

/** Distances from the differences of every pair of rows, `[..., P, R, M]`. */
function pairwise(x1: Tensor, x2: Tensor, p: number): Tensor {
  const diff = sub(unsqueeze(x1, -2), unsqueeze(x2, -3));
  if (diff.shape[diff.ndim - 1] === 0) return sum(abs(diff), -1); // no columns: all distances 0
  if (p === 0) {
    // The number of differing coordinates; PyTorch gives it a zero gradient.
    return withZeroGrad(
      'CdistBackward',
      noGrad(() => sum(cast(ne(diff, 0), diff.dtype), -1)),
      [x1, x2],
    );
  }
  if (p === 1) return sum(abs(diff), -1);
  if (p === 2) return maskedPow(sum(mul(diff, diff), -1), 0.5);
  if (p === Number.POSITIVE_INFINITY) return chebyshev(diff);
  return maskedPow(sum(maskedPow(abs(diff), p), -1), 1 / p);
}

/**
 * max |diff| over the last dim with PyTorch's cdist gradient: sign(diff) at every coordinate
 * equal to the maximum, each getting the whole gradient (amax would share it among ties).
 */
function chebyshev(diff: Tensor): Tensor {
  const y = noGrad(() => amax(abs(diff), -1));
  return record(
    'CdistBackward',
    y,
    [diff],
    (g) => {
      const at = cast(eq(abs(diff), unsqueeze(y, -1)), g.dtype);
      return [mul(unsqueeze(g, -1), mul(sign(diff), at))];
    },
    [diff, y],
  );
}

/**
 * PyTorch's _euclidean_dist: sqrt(clamp_min([-2a, |a|², 1] @ [b, 1, |b|²]ᵀ, 0)), with its
 * backward (_euclidean_dist_backward): ratio = g / d (0 where d = 0),
 * dA = a·Σ_r ratio − ratio @ b, dB = b·Σ_p ratio − ratioᵀ @ a.
 */
function euclideanByProduct(x1: Tensor, x2: Tensor): Tensor {
  const y = noGrad(() => {
    const n1 = sum(mul(x1, x1), -1, true);
    const n2 = sum(mul(x2, x2), -1, true);
    const one1 = full(n1.shape, 1, { dtype: n1.dtype, device: n1.device });
    const one2 = full(n2.shape, 1, { dtype: n2.dtype, device: n2.device });
    const a = cat([mul(x1, -2), n1, one1], -1);
    const b = cat([x2, one2, n2], -1);
    return sqrt(clamp(matmul(a, transpose(b, -1, -2)), 0));
  });
  return record(
    'EuclideanDistBackward',
    y,
    [x1, x2],
    (g) => {
      const zero = eq(y, 0);
      const ratio = where(zero, 0, div(g, where(zero, 1, y)));
      const g1 = sub(mul(x1, sum(ratio, -1, true)), matmul(ratio, x2));
      const g2 = sub(mul(x2, unsqueeze(sum(ratio, -2), -1)), matmul(transpose(ratio, -1, -2), x1));
      return [
        x1.requiresGrad ? unbroadcast(g1, x1.shape) : null,
        x2.requiresGrad ? unbroadcast(g2, x2.shape) : null,
      ];
    },
    [x1, x2, y],
  );
}
