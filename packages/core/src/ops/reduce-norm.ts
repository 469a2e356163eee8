// torch.norm / Tensor.norm (a table entry, ops/table.ts): PyTorch 1.13's dispatch of the
// deprecated `norm` onto linalg.vectorNorm / linalg.matrixNorm (ops/norms.ts), whose gradients
// follow PyTorch's norm_backward (0 where the norm is 0).
import type { DType } from '../backend/types.js';
import {
  bool,
  type Check,
  either,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { DTYPES } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type NormDims, vectorNorm } from './norms.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

const dims: Check = (x) =>
  (typeof x === 'number' && Number.isInteger(x)) || (Array.isArray(x) && x.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';

/** norm(input, p='fro', dim=None, keepdim=False, out=None, dtype=None): torch/functional.py, `out` positional */
const NORM = sig('norm', [
  req('input', tensor),
  opt('p', optional(either(oneOf('fro', 'nuc'), num))),
  opt('dim', optional(dims)),
  opt('keepdim', bool),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor'),
  opt('dtype', optional(oneOf(...DTYPES))),
]);

/** Options of {@link norm}. */
export interface TorchNormOptions {
  /** 'fro' (default: the 2-norm of the elements), 'nuc', or a number (Infinity included). */
  p?: 'fro' | 'nuc' | number | null;
  /** Dim or dims to reduce (all elements when omitted). */
  dim?: NormDims;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Computes in this floating dtype (the input is cast to it first). */
  dtype?: DType | null;
}

/**
 * PyTorch's `torch.norm` / `Tensor.norm(p='fro', dim=None, keepdim=False, dtype=None)`: a
 * numeric `p` is the vector p-norm over `dim` (all elements when omitted; `Infinity` the
 * largest |x|, 0 the count of non-zeros); 'fro' is the 2-norm of the elements over all of them or
 * at most two dims (no `dtype`, as in PyTorch 1.13); 'nuc' (the nuclear norm) needs an SVD, which
 * is not implemented: an error. Floating point inputs only. The gradient is 0 where the norm is 0.
 *
 * ```ts
 * x.norm();               // the 2-norm of all elements
 * norm(x, 1, -1, true);   // L1 of each row, kept as [..., 1]
 * x.norm({ p: Infinity, dim: 0 });
 * ```
 */
export function norm(
  x: Tensor,
  ...rest: PosOrOpts<[p: 'fro' | 'nuc' | number | null, dim: NormDims, keepdim: boolean], TorchNormOptions>
): Tensor {
  const a = NORM.parse<{ input: Tensor } & TorchNormOptions>([x, ...rest]);
  const input = checkTensor('norm', a.input);
  const dim = a.dim ?? null;
  const keepdim = a.keepdim ?? false;
  const p = a.p ?? 'fro';
  if (typeof p === 'string') {
    // PyTorch 1.13's torch.norm: no dtype for the string norms
    if (a.dtype !== undefined && a.dtype !== null) {
      throw new Error(
        `norm: the dtype argument is not supported in the ${p === 'fro' ? 'frobenius' : 'nuclear'} norm (as in PyTorch)`,
      );
    }
    if (p === 'nuc') {
      throw new Error(
        "norm: p='nuc' (the nuclear norm) needs the singular values (SVD), which are not implemented",
      );
    }
    if (p !== 'fro') throw new Error(`norm: only valid string values are 'fro' and 'nuc', found '${p}'`);
    if (dim !== null && typeof dim !== 'number' && dim.length > 2) {
      throw new Error(
        `norm: the frobenius norm takes at most 2 dims, got ${JSON.stringify(dim)} (as in PyTorch)`,
      );
    }
  }
  try {
    return vectorNorm(input, typeof p === 'string' ? 2 : p, dim, keepdim, { dtype: a.dtype });
  } catch (e) {
    throw new Error(`norm: ${(e as Error).message}`);
  }
}

const OPS = defineOps({
  norm: {
    fn: norm,
    cases: [
      c('default', [t([3, 4])]),
      c('p1_dim', [t([3, 4], 'distinct')], [1, 1]),
      c('p3_keepdim', [t([2, 3, 4])], [3, [0, 2], true]),
      c('fro_dims', [t([2, 3, 4])], ['fro', [1, 2]]),
      c('inf', [t([3, 4], 'distinct')], [Number.POSITIVE_INFINITY, 0]),
      c('neg_inf', [t([3, 4], 'distinct')], [Number.NEGATIVE_INFINITY]),
      // linalg.vectorNorm's ord=0 backward (ops/norms.ts) is not recorded: no double backward yet
      c('p0', [t([3, 4], 'smallint')], [0, 1], undefined, { noGradgrad: true }),
      c('p_half', [t([5], 'positive')], [0.5]),
      c('kwargs', [t([3, 4])], [], { p: 2, dim: -1, keepdim: true }),
      c('dtype', [t([3, 4])], [2], { dtype: 'float64' }),
      c('fro_dtype', [t([3, 4])], [], { dtype: 'float64' }, { throws: true }),
      c('fro_3_dims', [t([2, 3, 4])], ['fro', [0, 1, 2]], undefined, { throws: true }),
      c('fro_3d_all', [t([2, 3, 4])], ['fro']),
      // the gradient is 0 at a zero norm (PyTorch's mask), a kink: no second derivative there
      c('zero_row', [v([0, 0, 0, 3, 4, 0], { shape: [2, 3] })], [2, 1], undefined, { noGradgrad: true }),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [2, 0]),
      c('float64', [t([4], 'normal', { dtype: 'float64' })]),
      c('nuc', [t([3, 3])], ['nuc'], undefined, { throws: 'ours' }),
      c('int', [t([3], 'smallint', { dtype: 'int64' })], [], undefined, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./reduce-norm.js'), typeof OPS> {}
}
