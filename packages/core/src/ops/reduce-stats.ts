// Two statistics in one call: aminmax, stdMean, varMean (table entries, ops/table.ts), from the
// existing reductions (amin/amax, variance/mean), so their gradients are those reductions'.
import {
  bool,
  type Check,
  int,
  kw,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noDerivative } from './no-derivative.js';
import { sqrt } from './pointwise.js';
import { amax, amin, type Dims, mean, std as stdRaw, variance } from './reduce.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensors',
  true,
);
const dims: Check = (x) =>
  (typeof x === 'number' && Number.isInteger(x)) || (Array.isArray(x) && x.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';

/** aminmax(input, *, dim=None, keepdim=False, out=None) */
const AMINMAX = sig('aminmax', [req('input', tensor), kw('dim', optional(int)), kw('keepdim', bool), out]);

/** PyTorch's `(min, max)` result of {@link aminmax}: named fields, iterable as the pair. */
export class MinMax {
  constructor(
    /** The smallest elements. */
    readonly min: Tensor,
    /** The largest elements. */
    readonly max: Tensor,
  ) {}

  /** Yields `min`, then `max`. */
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.min;
    yield this.max;
  }
}

/** Options of {@link aminmax}. */
export interface AminmaxOptions {
  /** The dim to reduce (all elements when omitted). */
  dim?: number | null;
  /** Keep the reduced dim with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * The smallest and the largest element, over all elements or along `dim` (keyword-only in
 * PyTorch: `{ dim, keepdim }` here), as `{ min, max }` (iterable: `const [lo, hi] =
 * x.aminmax()`). As in PyTorch 1.13 it has no derivative: backward through it is an error.
 *
 * ```ts
 * const { min, max } = aminmax(tensor([[1, 5], [3, -2]]), { dim: 1 }); // [1, -2], [5, 3]
 * ```
 */
export function aminmax(x: Tensor, ...rest: PosOrOpts<[], AminmaxOptions>): MinMax {
  const a = AMINMAX.parse<{ input: Tensor; dim?: number | null; keepdim?: boolean }>([x, ...rest]);
  const input = checkTensor('aminmax', a.input);
  const dim = a.dim ?? undefined;
  const keepdim = a.keepdim ?? false;
  if (dim === undefined && input.numel() === 0) {
    throw new Error(`aminmax: cannot compute aminmax of an empty tensor (shape ${fmtShape(input.shape)})`);
  }
  const lo = amin(input, dim, keepdim);
  const hi = amax(input, dim, keepdim);
  if (!isFloat(input.dtype)) return new MinMax(lo, hi);
  return new MinMax(
    noDerivative('aminmax', lo.detach(), [input]),
    noDerivative('aminmax', hi.detach(), [input]),
  );
}

/** std_mean / var_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None, out=None) */
const STD_MEAN = sig('stdMean', [
  req('input', tensor),
  opt('dim', optional(dims)),
  opt('unbiased', bool),
  opt('keepdim', bool),
  kw('correction', optional(num)),
  out,
]);
const VAR_MEAN = sig('varMean', STD_MEAN.params);

/** Options of {@link stdMean} and {@link varMean}. */
export interface MomentOptions {
  /** Dim or dims to reduce (all elements when omitted or null). */
  dim?: Dims | null;
  /** Bessel's correction (divide by n - 1); default true. */
  unbiased?: boolean;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Divide by n - correction (PyTorch's keyword; exclusive with `unbiased`). */
  correction?: number | null;
}

/** var / std(input, dim=None, unbiased=True, keepdim=False, *, correction=None, out=None) */
const VAR = sig('var', STD_MEAN.params);
const STD = sig('std', STD_MEAN.params);

/** The arguments of var, std, varMean and stdMean after PyTorch's overloads are resolved. */
function momentArgs(
  op: 'stdMean' | 'varMean' | 'var' | 'std',
  args: unknown[],
): { x: Tensor; dim: Dims | undefined; keepdim: boolean; correction: number } {
  // PyTorch's var(input, unbiased) overload: a boolean second argument is `unbiased`
  if (typeof args[1] === 'boolean') args = [args[0], null, ...args.slice(1)];
  const signatures = { stdMean: STD_MEAN, varMean: VAR_MEAN, var: VAR, std: STD };
  const a = signatures[op].parse<{ input: Tensor } & MomentOptions>(args);
  const x = checkTensor(op, a.input);
  if (!isFloat(x.dtype)) {
    throw new Error(
      `${op}: only floating point inputs are supported (as in PyTorch), got ${x.dtype} ${fmtShape(x.shape)}`,
    );
  }
  if (a.unbiased !== undefined && a.correction !== undefined && a.correction !== null) {
    throw new TypeError(`${op}: give either unbiased or correction, not both`);
  }
  return {
    x,
    dim: a.dim ?? undefined,
    keepdim: a.keepdim ?? false,
    correction: a.correction ?? (a.unbiased === false ? 0 : 1),
  };
}

function moments(op: 'stdMean' | 'varMean', args: unknown[]): [Tensor, Tensor] {
  const { x, dim, keepdim, correction } = momentArgs(op, args);
  const v = variance(x, dim, keepdim, correction);
  return [op === 'stdMean' ? sqrt(v) : v, mean(x, dim, keepdim)];
}

/** The arguments after the input of {@link var_} and {@link std}: PyTorch's, positionally or by name. */
export type MomentArgs =
  | PosOrOpts<[dim: Dims | null, unbiased: boolean, keepdim: boolean], MomentOptions>
  | [unbiased: boolean];

/**
 * The variance over `dim` (all dims by default), as PyTorch's `var(input, dim, unbiased,
 * keepdim, *, correction)`: the second positional argument is `unbiased` (Bessel's
 * correction, default true), `keepdim` the third; `correction` by name divides by n − c.
 *
 * ```ts
 * x.var(1);                       // unbiased, over dim 1
 * x.var(1, false);                // biased (PyTorch's unbiased=False)
 * x.var(1, { keepdim: true, correction: 0 });
 * ```
 */
export function var_(input: Tensor, ...rest: MomentArgs): Tensor {
  const { x, dim, keepdim, correction } = momentArgs('var', [input, ...rest]);
  return variance(x, dim, keepdim, correction);
}

/** The standard deviation, with {@link var_}'s arguments (PyTorch's `std`). */
export function std(input: Tensor, ...rest: MomentArgs): Tensor {
  const { x, dim, keepdim, correction } = momentArgs('std', [input, ...rest]);
  return stdRaw(x, dim, keepdim, correction);
}

/**
 * The standard deviation and the mean over `dim` (all elements when omitted), as
 * `[std, mean]`, PyTorch's `std_mean(input, dim, unbiased=True, keepdim=False, *, correction)`.
 *
 * ```ts
 * const [std, mu] = stdMean(x, 1, true, true); // per row, kept as [n, 1]
 * ```
 */
export function stdMean(
  x: Tensor,
  ...rest: PosOrOpts<[dim: Dims | null | boolean, unbiased: boolean, keepdim: boolean], MomentOptions>
): [Tensor, Tensor] {
  return moments('stdMean', [x, ...rest]);
}

/** The variance and the mean over `dim`, as `[var, mean]`: see {@link stdMean}. */
export function varMean(
  x: Tensor,
  ...rest: PosOrOpts<[dim: Dims | null | boolean, unbiased: boolean, keepdim: boolean], MomentOptions>
): [Tensor, Tensor] {
  return moments('varMean', [x, ...rest]);
}

const momentCases = [
  c('all', [t([3, 4])]),
  c('dim1', [t([3, 4])], [1]),
  c('dims_keepdim', [t([2, 3, 4])], [[0, 2], true, true]),
  c('biased', [t([3, 4])], [0, false]),
  c('unbiased_only', [t([3, 4])], [false]),
  c('correction', [t([3, 5])], [], { dim: 1, correction: 0, keepdim: true }),
  c('correction_2', [t([6])], [], { dim: null, correction: 2 }),
  c('float64', [t([4, 3], 'normal', { dtype: 'float64' })], [0]),
  c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [1]),
  c('int', [t([4], 'smallint', { dtype: 'int64' })], [], undefined, { throws: true }),
];

const OPS = defineOps({
  aminmax: {
    fn: aminmax,
    grad: false,
    cases: [
      c('all', [t([3, 4], 'distinct')]),
      c('dim', [t([3, 4], 'distinct')], [], { dim: 1 }),
      c('dim_keepdim', [t([2, 3, 4], 'distinct')], [], { dim: -1, keepdim: true }),
      c('keepdim_all', [t([2, 3], 'distinct')], [], { keepdim: true }),
      c('ties_nan', [v([1, 3, 3, Number.NaN, 0, 0], { shape: [2, 3] })], [], { dim: 1 }),
      c('int64', [t([5], 'smallint', { dtype: 'int64' })]),
      c('bool', [t([4], 'bool')]),
      c('scalar', [t([])]),
      c('empty', [t([0])], [], undefined, { throws: true }),
    ],
  },
  stdMean: { fn: stdMean, cases: momentCases },
  varMean: { fn: varMean, cases: momentCases },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./reduce-stats.js'), typeof OPS> {}
}
