// Running reductions along a dim: cumsum, cumprod, logcumsumexp (table entries, ops/table.ts;
// cummax/cummin are in ops/sorting.ts). No backend has a scan primitive, so each is a
// Hillis–Steele scan: ceil(log2 n) steps of "combine with the input shifted by 2^k" (a narrow,
// a constant pad with the identity, one elementwise op), on the device, differentiable as a
// composite (cumprod's gradient is right even with zeros, which a division formula is not).
// PyTorch's CPU kernels accumulate float32 in double; through opmath so does this scan, where
// the backend has float64.

import type { DType } from '../backend/types.js';
import {
  any,
  int,
  kw,
  oneOf,
  optional,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { DTYPES, isFloat } from '../tensor/dtype.js';
import { fmtShape, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, eq, maximum, mul, neg, sub, where } from './binary.js';
import { cast } from './convert.js';
import { opmath } from './opmath.js';
import { abs, exp, log1p } from './pointwise.js';
import { narrow, padConstant, reshape } from './shape.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
const dtypeOpt = kw('dtype', optional(oneOf(...DTYPES)));

/** cumsum(input, dim, *, dtype=None, out=None) */
const CUMSUM = sig('cumsum', [req('input', tensor), req('dim', int), dtypeOpt, out]);
/** cumprod(input, dim, *, dtype=None, out=None) */
const CUMPROD = sig('cumprod', [req('input', tensor), req('dim', int), dtypeOpt, out]);
/** logcumsumexp(input, dim, *, out=None) */
const LOGCUMSUMEXP = sig('logcumsumexp', [req('input', tensor), req('dim', any), out]);

/** Options of {@link cumsum} and {@link cumprod}. */
export interface CumulativeOptions {
  /** Cast the input to this dtype first (PyTorch's `dtype`). */
  dtype?: DType | null;
}

/** `dim` then the options, or everything by name (PyTorch's `cumsum(input, dim, *, dtype)`). */
export type DimArgs =
  | [dim: number, options?: CumulativeOptions]
  | [
      options: CumulativeOptions & {
        /** The dim to scan along. */
        dim: number;
      },
    ];

/**
 * The inclusive scan of `x` along `d` with `combine`; `identity` fills the shifted-in slots.
 * Two-operand `combine` of same-shape tensors.
 */
function scan(x: Tensor, d: number, combine: (a: Tensor, b: Tensor) => Tensor, identity: number): Tensor {
  const n = x.shape[d];
  let y = x;
  for (let k = 1; k < n; k *= 2) {
    const pads = x.shape.map((_, i) => (i === d ? ([k, 0] as const) : ([0, 0] as const)));
    y = combine(y, padConstant(narrow(y, d, 0, n - k), pads, identity));
  }
  return y;
}

/** The scan of a 0-d or n-d tensor along `dim` in its own dtype (float ones through opmath). */
function scanAlong(
  op: string,
  x: Tensor,
  dim: number,
  combine: (a: Tensor, b: Tensor) => Tensor,
  identity: number,
): Tensor {
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return reshape(scanAlong(op, reshape(x, [1]), 0, combine, identity), []);
  if (!isFloat(x.dtype)) return scan(x, d, combine, identity);
  return opmath(x.dtype, [x], (w) => scan(w, d, combine, identity));
}

/** The input in the dtype a cumulative sum or product runs in: `dtype`, else int64 for integers and bool. */
function accumulating(x: Tensor, dtype: DType | null | undefined): Tensor {
  if (dtype !== undefined && dtype !== null) return cast(x, dtype);
  return isFloat(x.dtype) ? x : cast(x, 'int64');
}

/**
 * The running sum along `dim`: `y[i] = x[0] + … + x[i]`. Integers and bool sum in int64 unless
 * `dtype` is given (the input is cast to it first), as in PyTorch; float32 accumulates in
 * float64 where the backend has it (PyTorch's CPU kernel accumulates in double).
 *
 * ```ts
 * cumsum(tensor([1, 2, 3]), 0);            // tensor([1., 3., 6.])
 * x.cumsum(1, { dtype: 'float64' });
 * ```
 */
export function cumsum(x: Tensor, ...rest: DimArgs): Tensor {
  const a = CUMSUM.parse<{ input: Tensor; dim: number; dtype?: DType | null }>([x, ...rest]);
  checkTensor('cumsum', a.input);
  return scanAlong('cumsum', accumulating(a.input, a.dtype), a.dim, (p, q) => add(p, q), 0);
}

/**
 * The running product along `dim`: `y[i] = x[0] · … · x[i]` (integers and bool in int64 unless
 * `dtype` is given, as {@link cumsum}). The gradient is exact with zeros in the input.
 *
 * ```ts
 * cumprod(tensor([2, 3, 4]), 0); // tensor([ 2.,  6., 24.])
 * ```
 */
export function cumprod(x: Tensor, ...rest: DimArgs): Tensor {
  const a = CUMPROD.parse<{ input: Tensor; dim: number; dtype?: DType | null }>([x, ...rest]);
  checkTensor('cumprod', a.input);
  return scanAlong('cumprod', accumulating(a.input, a.dtype), a.dim, (p, q) => mul(p, q), 1);
}

/** log(e^a + e^b), stably, with ±inf handled as PyTorch's _log_add_exp_helper. */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  // equal operands (±inf included) give a + log 2; the difference is taken as 0 there, so an
  // inf - inf never reaches the other branch's gradient as NaN
  const same = eq(a, b);
  const diff = abs(sub(where(same, 0, a), where(same, 0, b)));
  return add(maximum(a, b), log1p(exp(neg(diff))));
}

/**
 * `log(cumsum(exp(x)))` along `dim`, computed stably (every step is a log-add-exp, so values
 * far below the running maximum are not lost). Floating point only, as in PyTorch.
 *
 * ```ts
 * logcumsumexp(tensor([0, 0, Math.log(2)]), 0); // tensor([0.0000, 0.6931, 1.3863])
 * ```
 */
export function logcumsumexp(x: Tensor, ...rest: [dim: number] | [options: { dim: number }]): Tensor {
  const a = LOGCUMSUMEXP.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  checkTensor('logcumsumexp', a.input);
  if (!isFloat(a.input.dtype)) {
    throw new Error(
      `logcumsumexp: not implemented for ${a.input.dtype} ${fmtShape(a.input.shape)} (floating point only, as in PyTorch; use .float())`,
    );
  }
  return scanAlong('logcumsumexp', a.input, a.dim, logAddExp, Number.NEGATIVE_INFINITY);
}

const sumCases = [
  c('1d', [t([7])], [0]),
  c('dim1', [t([3, 5])], [1]),
  c('dim0', [t([4, 3])], [0]),
  c('neg_dim_3d', [t([2, 3, 4])], [-1]),
  c('middle_3d', [t([2, 5, 3])], [1]),
  c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [1]),
  c('scalar', [t([])], [0]),
  c('dim_kw', [t([2, 3])], [], { dim: 1 }),
  c('long_17', [t([17])], [0]),
  c('int64', [t([6], 'smallint', { dtype: 'int64' })], [0]),
  c('int32', [t([2, 3], 'smallint', { dtype: 'int32' })], [1]),
  c('bool', [t([6], 'bool')], [0]),
  c('dtype_float64', [t([5], 'smallint', { dtype: 'int64' })], [0], { dtype: 'float64' }),
  c('float64', [t([2, 4], 'normal', { dtype: 'float64' })], [1]),
  c('special', [t([11], 'special')], [0], undefined, { noGrad: true }),
  c('empty', [t([0, 3])], [0]),
];

const OPS = defineOps({
  cumsum: { fn: cumsum, cases: sumCases },
  cumprod: {
    fn: cumprod,
    cases: [
      ...sumCases,
      // zeros in the input: the gradient before, at and after each zero
      c('zeros', [v([2, 0.5, 0, 3, -1, 0, 4])], [0]),
      c('one_zero', [v([1.5, -2, 0, 0.5, 3])], [0]),
    ],
  },
  logcumsumexp: {
    fn: logcumsumexp,
    cases: [
      c('1d', [t([7])], [0]),
      c('dim1', [t([3, 5])], [1]),
      c('neg_dim_3d', [t([2, 3, 4])], [-1]),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [0]),
      c('scalar', [t([])], [0]),
      c('long_17', [t([17])], [0]),
      // float64: PyTorch's float32 gradient here is off by 3e-5 (its backward rescales in float32)
      c('wide_range', [v([-1000, 0, -50, 1000, 999, -1e30], { dtype: 'float64' })], [0]),
      c('wide_range_float32', [v([-1000, 0, -50, 1000, 999, -1e30])], [0], undefined, { noGrad: true }),
      c(
        'infinities',
        [v([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, Number.POSITIVE_INFINITY, 2])],
        [0],
        undefined,
        { noGrad: true },
      ),
      c('nan', [v([1, Number.NaN, 2])], [0], undefined, { noGrad: true }),
      c('float64', [t([2, 4], 'normal', { dtype: 'float64' })], [1]),
      c('int', [t([4], 'smallint', { dtype: 'int64' })], [0], undefined, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./cumulative.js'), typeof OPS> {}
}
