// Reductions that skip NaN: nansum, nanmean (table entries, ops/table.ts). The NaNs are
// replaced by 0 with a `where`, whose gradient is 0 there, as PyTorch's.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import type { DType } from '../backend/types.js';
import {
  bool,
  type Check,
  kw,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { DTYPES, isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, where } from './binary.js';
import { cast } from './convert.js';
import { isnan, logicalNot } from './pointwise.js';
import { type Dims, sum } from './reduce.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
const dims: Check = (x) =>
  (typeof x === 'number' && Number.isInteger(x)) || (Array.isArray(x) && x.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';
const dtypeOpt = kw('dtype', optional(oneOf(...DTYPES)));

/** nansum(input, *, dtype=None) / nansum(input, dim, keepdim=False, *, dtype=None) */
const NANSUM = sig('nansum', [
  req('input', tensor),
  opt('dim', optional(dims)),
  opt('keepdim', bool),
  dtypeOpt,
  out,
]);
/** nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None) */
const NANMEAN = sig('nanmean', [
  req('input', tensor),
  opt('dim', optional(dims)),
  opt('keepdim', bool),
  dtypeOpt,
  out,
]);

/** Options of {@link nansum} and {@link nanmean}. */
export interface NanReduceOptions {
  /** Dim or dims to reduce (all elements when omitted or null). */
  dim?: Dims | null;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Cast the input to this dtype first. */
  dtype?: DType | null;
}

interface Parsed {
  input: Tensor;
  dim?: Dims | null;
  keepdim?: boolean;
  dtype?: DType | null;
}

/**
 * `x` (cast to `dtype`) with its NaNs replaced by 0. The gradient is PyTorch's nansum backward,
 * `grad * !isnan(x)`: 0 at the NaNs (NaN there when the incoming gradient is infinite, as
 * nanmean's is for an all-NaN row in PyTorch).
 */
function zeroNan(x: Tensor, dtype: DType | null | undefined): Tensor {
  const y = dtype ? cast(x, dtype) : x;
  if (!isFloat(y.dtype)) return y;
  const out = noGrad(() => where(isnan(y), 0, y));
  return record('NansumBackward', out, [y], (g) => [mul(g, cast(logicalNot(isnan(y)), g.dtype))], [y]);
}

/**
 * The sum over `dim` (all elements when omitted), NaN counted as 0; integers sum in int64 (as
 * {@link sum}). The gradient is 0 at the NaNs.
 *
 * ```ts
 * nansum(tensor([1, NaN, 2])); // tensor(3.)
 * ```
 */
export function nansum(
  x: Tensor,
  ...rest: PosOrOpts<[dim: Dims | null, keepdim: boolean], NanReduceOptions>
): Tensor {
  const a = NANSUM.parse<Parsed>([x, ...rest]);
  checkTensor('nansum', a.input);
  return sum(zeroNan(a.input, a.dtype), a.dim ?? undefined, a.keepdim ?? false);
}

/**
 * The mean over `dim` (all elements when omitted) of the elements that are not NaN (NaN when
 * all are); floating point only, as in PyTorch.
 *
 * ```ts
 * nanmean(tensor([1, NaN, 2])); // tensor(1.5000)
 * ```
 */
export function nanmean(
  x: Tensor,
  ...rest: PosOrOpts<[dim: Dims | null, keepdim: boolean], NanReduceOptions>
): Tensor {
  const a = NANMEAN.parse<Parsed>([x, ...rest]);
  const input = checkTensor('nanmean', a.input);
  if (!isFloat(input.dtype)) {
    throw new Error(
      `nanmean: expected a floating point input, got ${input.dtype} ${fmtShape(input.shape)} (as in PyTorch; use .float())`,
    );
  }
  const y = a.dtype ? cast(input, a.dtype) : input;
  const dim = a.dim ?? undefined;
  const keepdim = a.keepdim ?? false;
  const count = sum(logicalNot(isnan(y)), dim, keepdim);
  return div(sum(zeroNan(y, null), dim, keepdim), cast(count, y.dtype));
}

const nanCases = [
  c('all', [t([3, 4], 'normal')]),
  c('special', [t([11], 'special')], [], undefined, { noGrad: true }),
  c('nan_rows', [v([1, Number.NaN, 2, Number.NaN, 3, 0.25, 0.5, -1], { shape: [4, 2] })], [1]),
  c('all_nan_row', [v([1, Number.NaN, Number.NaN, Number.NaN], { shape: [2, 2] })], [1], undefined, {
    noGrad: true,
  }),
  c('dim_keepdim', [v([1, Number.NaN, 2, 3, 4, Number.NaN], { shape: [2, 3] })], [0, true]),
  c('dims', [t([2, 3, 4], 'normal')], [[0, 2]]),
  c('kwargs', [t([2, 3], 'normal')], [], { dim: 1, keepdim: true }),
  c('dtype', [t([2, 3], 'normal')], [], { dtype: 'float64' }),
  c('float64', [v([1.5, Number.NaN, 2.25], { dtype: 'float64' })]),
];

const OPS = defineOps({
  nansum: {
    fn: nansum,
    cases: [
      ...nanCases,
      c('int64', [t([5], 'smallint', { dtype: 'int64' })]),
      c('bool', [t([5], 'bool')], [0]),
    ],
  },
  nanmean: {
    fn: nanmean,
    cases: [
      ...nanCases,
      c('int64', [t([5], 'smallint', { dtype: 'int64' })], [], undefined, { throws: true }),
      c('int64_dtype', [t([5], 'smallint', { dtype: 'int64' })], [], { dtype: 'float32' }, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./reduce-nan.js'), typeof OPS> {}
}
