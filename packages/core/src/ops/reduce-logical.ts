// Truth reductions: all, any, countNonzero (table entries, ops/table.ts). Counts of the
// non-zero elements (an int64 sum of a bool mask), so NaN counts as true, as in PyTorch, and
// 2^17-element reductions stay exact.
import {
  bool,
  type Check,
  int,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import type { Tensor } from '../tensor/tensor.js';
import { eq, ne } from './binary.js';
import { cast } from './convert.js';
import { logicalNot } from './pointwise.js';
import { type Dims, sum } from './reduce.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
const dims: Check = (v) =>
  (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';

/** all(input) / all(input, dim, keepdim=False, *, out=None) */
const ALL = sig('all', [req('input', tensor), opt('dim', int), opt('keepdim', bool), out]);
/** any(input) / any(input, dim, keepdim=False, *, out=None) */
const ANY = sig('any', [req('input', tensor), opt('dim', int), opt('keepdim', bool), out]);
/** count_nonzero(input, dim=None) */
const COUNT_NONZERO = sig('countNonzero', [req('input', tensor), opt('dim', optional(dims))]);

/** Options of {@link all} and {@link any}. */
export interface AllAnyOptions {
  /** The dim to reduce (all elements when omitted). */
  dim?: number;
  /** Keep the reduced dim with size 1 (default false). */
  keepdim?: boolean;
}

/** The non-zero mask of `x` (x itself when bool). */
function truth(x: Tensor): Tensor {
  return x.dtype === 'bool' ? x : ne(x, 0);
}

function allAny(op: 'all' | 'any', args: readonly unknown[]): Tensor {
  const a = (op === 'all' ? ALL : ANY).parse<{ input: Tensor; dim?: number; keepdim?: boolean }>(args);
  const x = checkTensor(op, a.input);
  if (a.dim === undefined && a.keepdim !== undefined) {
    throw new TypeError(`${op}: keepdim needs a dim (${op}(input, dim, keepdim)), as in PyTorch`);
  }
  // all: no zero element; any: some non-zero element
  const mask = op === 'all' ? logicalNot(truth(x)) : truth(x);
  const count = sum(mask, a.dim, a.keepdim ?? false);
  const y = op === 'all' ? eq(count, 0) : ne(count, 0);
  // PyTorch keeps uint8 for uint8 inputs (a legacy of its byte masks)
  return x.dtype === 'uint8' ? cast(y, 'uint8') : y;
}

/**
 * Whether every element is non-zero (NaN counts as non-zero), over all elements or along
 * `dim`: a bool tensor (uint8 for a uint8 input, as in PyTorch). True for an empty tensor.
 *
 * ```ts
 * all(tensor([[1, 0], [1, 1]]), 1); // tensor([False,  True])
 * ```
 */
export function all(x: Tensor, ...rest: PosOrOpts<[dim: number, keepdim: boolean], AllAnyOptions>): Tensor {
  return allAny('all', [x, ...rest]);
}

/**
 * Whether some element is non-zero (NaN counts as non-zero), over all elements or along `dim`:
 * a bool tensor (uint8 for a uint8 input, as in PyTorch). False for an empty tensor.
 *
 * ```ts
 * any(tensor([[0, 0], [1, 0]]), 1); // tensor([False,  True])
 * ```
 */
export function any(x: Tensor, ...rest: PosOrOpts<[dim: number, keepdim: boolean], AllAnyOptions>): Tensor {
  return allAny('any', [x, ...rest]);
}

/**
 * The number of non-zero elements (int64), over all elements or the dims `dim` (one or several).
 *
 * ```ts
 * countNonzero(tensor([[1, 0], [2, 3]]), 0); // tensor([2, 1])
 * ```
 */
export function countNonzero(
  x: Tensor,
  ...rest: PosOrOpts<[dim: Dims | null], { dim?: Dims | null }>
): Tensor {
  const a = COUNT_NONZERO.parse<{ input: Tensor; dim?: Dims | null }>([x, ...rest]);
  checkTensor('countNonzero', a.input);
  return sum(truth(a.input), a.dim ?? undefined);
}

const truthCases = [
  c('all_2d', [t([3, 4], 'smallint')]),
  c('dim1', [t([3, 4], 'smallint')], [1]),
  c('dim0_keepdim', [t([3, 4], 'smallint')], [0, true]),
  c('kwargs', [t([2, 3, 4], 'smallint')], [], { dim: -1, keepdim: true }),
  c('special', [t([11], 'special')]),
  c('bool', [t([2, 5], 'bool')], [1]),
  c('int64', [t([6], 'smallint', { dtype: 'int64' })]),
  c('uint8', [v([0, 1, 2], { dtype: 'uint8' })]),
  c('empty', [t([0])]),
  c('ones', [v([1, 2, 3])]),
  c('zeros', [v([0, 0, 0])]),
  c('keepdim_without_dim', [t([3])], [], { keepdim: true }, { throws: true }),
];

const OPS = defineOps({
  all: { fn: all, grad: false, cases: truthCases },
  any: { fn: any, grad: false, cases: truthCases },
  countNonzero: {
    fn: countNonzero,
    grad: false,
    cases: [
      c('all_2d', [t([3, 4], 'smallint')]),
      c('dim0', [t([3, 4], 'smallint')], [0]),
      c('dims', [t([2, 3, 4], 'smallint')], [[0, 2]]),
      c('dim_kw', [t([3, 4], 'smallint')], [], { dim: -1 }),
      c('special', [t([11], 'special')]),
      c('bool', [t([2, 5], 'bool')], [1]),
      c('int64', [t([6], 'smallint', { dtype: 'int64' })]),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./reduce-logical.js'), typeof OPS> {}
}
