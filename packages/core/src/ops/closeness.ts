// Comparing whole tensors: isclose, allclose, equal (table entries, ops/table.ts). isclose is
// PyTorch's formula step for step, in the inputs' dtype, so borderline elements decide as there.
import { bool, num, opt, type PosOrOpts, req, signature as sig, tensor } from '../signature/signature.js';
import { isFloat } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, eq, le, logicalAnd, logicalOr, mul, sub } from './binary.js';
import { cast } from './convert.js';
import { isfinite } from './float-class.js';
import { abs, isnan } from './pointwise.js';
import { all } from './reduce-logical.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkSameDevice, checkTensor } from './util.js';

const closeParams = [
  req('input', tensor),
  req('other', tensor),
  opt('rtol', num),
  opt('atol', num),
  opt('equalNan', bool),
];
/** isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) */
const ISCLOSE = sig('isclose', closeParams);
/** allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) */
const ALLCLOSE = sig('allclose', closeParams);
/** equal(input, other) */
const EQUAL = sig('equal', [req('input', tensor), req('other', tensor)]);

/** Options of {@link isclose} and {@link allclose}. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5): close when `|a - b| <= atol + rtol * |b|`. */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** NaN counts as close to NaN. */
  equalNan?: boolean;
}

function closeMask(op: string, args: readonly unknown[]): Tensor {
  const a = (op === 'isclose' ? ISCLOSE : ALLCLOSE).parse<{ input: Tensor; other: Tensor } & CloseOptions>(
    args,
  );
  const x = checkTensor(op, a.input);
  const y = checkTensor(op, a.other, 'other');
  checkSameDevice(op, x, y);
  if (x.dtype !== y.dtype) {
    throw new Error(
      `${op}: expected the dtype of other (${y.dtype}) to match the input's (${x.dtype}), as PyTorch does`,
    );
  }
  const rtol = a.rtol ?? 1e-5;
  const atol = a.atol ?? 1e-8;
  if (rtol < 0 || atol < 0)
    throw new Error(`${op}: rtol and atol must be non-negative, got rtol=${rtol}, atol=${atol}`);
  // PyTorch: equal, or (equal_nan and both NaN), or a finite error within atol + |rtol * other|
  let close = eq(x, y);
  if (x.dtype === 'bool') return close;
  if (a.equalNan && isFloat(x.dtype)) close = logicalOr(close, logicalAnd(isnan(x), isnan(y)));
  if (rtol === 0 && atol === 0) return close;
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const yf = isFloat(y.dtype) ? y : cast(y, 'float32');
  const allowed = add(abs(mul(yf, rtol)), atol);
  const actual = abs(sub(xf, yf));
  return logicalOr(close, logicalAnd(isfinite(actual), le(actual, allowed)));
}

/**
 * Elementwise `|input - other| <= atol + rtol * |other|` (with broadcasting), as a bool tensor;
 * equal infinities are close, NaN only with `equalNan`. The operands must share a dtype, as in
 * PyTorch.
 *
 * ```ts
 * isclose(tensor([1, 2]), tensor([1, 2.1])); // tensor([ True, False])
 * ```
 */
export function isclose(
  input: Tensor,
  other: Tensor,
  ...rest: PosOrOpts<[rtol: number, atol: number, equalNan: boolean], CloseOptions>
): Tensor {
  return closeMask('isclose', [input, other, ...rest]);
}

/**
 * Whether every element of `input` is close to `other` ({@link isclose}, with broadcasting): a
 * JS boolean, as PyTorch returns a Python bool.
 *
 * ```ts
 * allclose(a, b, 1e-4);      // or allclose(a, b, { rtol: 1e-4, equalNan: true })
 * ```
 */
export function allclose(
  input: Tensor,
  other: Tensor,
  ...rest: PosOrOpts<[rtol: number, atol: number, equalNan: boolean], CloseOptions>
): boolean {
  return all(closeMask('allclose', [input, other, ...rest])).item<boolean>() === true;
}

/**
 * Whether the two tensors have the same shape and equal elements (NaN is not equal to NaN;
 * values compare after type promotion, so `1` equals `1.0`): a JS boolean, as PyTorch's.
 *
 * ```ts
 * equal(tensor([1, 2]), tensor([1, 2])); // true
 * ```
 */
export function equal(input: Tensor, other: Tensor): boolean {
  const a = EQUAL.parse<{ input: Tensor; other: Tensor }>([input, other]);
  const x = checkTensor('equal', a.input);
  const y = checkTensor('equal', a.other, 'other');
  checkSameDevice('equal', x, y);
  if (!shapesEqual(x.shape, y.shape)) return false;
  return all(eq(x, y)).item<boolean>() === true;
}

const closeCases = [
  c('same', [t([3, 4]), t([3, 4])]),
  c('near', [v([1, 1, 1, 1e-9, 100]), v([1.00001, 1.000001, 0.999, 0, 100.001])]),
  c('special', [t([11], 'special'), t([11], 'special')]),
  c('equal_nan', [t([11], 'special'), t([11], 'special')], [], { equalNan: true }),
  c('tolerances', [v([1, 2, 3]), v([1.1, 2.5, 3.01])], [0.05, 0.01]),
  c('atol_only', [v([0, 1e-3, -0.5]), v([1e-4, 0, -0.4])], [], { rtol: 0, atol: 1e-3 }),
  c('zero_tolerances', [v([1, 2]), v([1, 2.0000002])], [0, 0]),
  c('broadcast', [t([2, 3]), t([3])]),
  c('int', [v([1, 2, 3], { dtype: 'int64' }), v([1, 3, 5], { dtype: 'int64' })], [], { atol: 1 }),
  c('bool', [t([4], 'bool'), t([4], 'bool')]),
  c('mixed_dtypes', [t([3]), t([3], 'normal', { dtype: 'float64' })], [], undefined, { throws: true }),
];

const OPS = defineOps({
  isclose: { fn: isclose, grad: false, cases: closeCases },
  allclose: {
    fn: allclose,
    grad: false,
    cases: [...closeCases, c('transposed', [t([1, 2]), v([1, 2], { shape: [2, 1] })])],
  },
  equal: {
    fn: equal,
    grad: false,
    cases: [
      c('same', [v([1, 2, 3]), v([1, 2, 3])]),
      c('different', [v([1, 2, 3]), v([1, 2, 4])]),
      c('shapes', [v([1, 2]), v([1, 2], { shape: [1, 2] })]),
      c('nan', [v([Number.NaN]), v([Number.NaN])]),
      c('promoted', [v([1, 2], { dtype: 'int64' }), v([1, 2])]),
      c('bool_int', [v([true, false]), v([1, 0], { dtype: 'int64' })]),
      c('empty', [t([0]), t([0])]),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./closeness.js'), typeof OPS> {}
}
