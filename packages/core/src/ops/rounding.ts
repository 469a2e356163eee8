// Rounding toward zero and the division remainders: trunc, frac, fmod, remainder, floorDivide,
// and div's rounding modes (table entries, ops/table.ts). Integer inputs compute exactly with
// integer ops; float inputs follow PyTorch's CPU kernels step by step (fmod first, then
// remainder = fmod + divisor on a sign mismatch, floor division from (a - fmod) / b), in float64
// where the backend has it (opmath), so fmod of float32 operands is exact (for quotients below
// 2^29). Backward passes are PyTorch's formulas, recorded with tensor ops.

import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add,
  binaryRaw,
  div,
  eq,
  ge,
  gt,
  logicalAnd,
  lt,
  mul,
  ne,
  neg,
  operands,
  setRoundingDiv,
  sub,
  where,
} from './binary.js';
import { clone } from './convert.js';
import { checkOnDevice } from './device-check.js';
import { isfinite, isinf } from './float-class.js';
import { noDerivative } from './no-derivative.js';
import { opmath } from './opmath.js';
import { abs, ceil, floor } from './pointwise.js';
import { c, defineOps, type TableMethods, t, unaryCases, v } from './table.js';
import { unbroadcast } from './unbroadcast.js';
import { checkTensor, type TensorLike } from './util.js';

/**
 * Rounds toward zero, elementwise (`trunc(-2.5)` is -2, `trunc(-0.5)` is -0); gradient zero.
 * Integers are returned as a copy; bool is refused, as in PyTorch.
 */
export function trunc(x: Tensor): Tensor {
  checkTensor('trunc', x);
  if (x.dtype === 'bool')
    throw new Error('trunc: not implemented for bool tensors (as in PyTorch); cast first');
  if (!isFloat(x.dtype)) return clone(x);
  return where(lt(x, 0), ceil(x), floor(x));
}

/** The fractional part `x - trunc(x)`, elementwise (sign of `x`); floating point only. */
export function frac(x: Tensor): Tensor {
  checkTensor('frac', x);
  if (!isFloat(x.dtype)) {
    throw new Error(
      `frac: not implemented for ${x.dtype} ${fmtShape(x.shape)} (floating point only, as in PyTorch)`,
    );
  }
  return sub(x, trunc(x));
}

/** The two operands of a division op in their result dtype; bool is refused as PyTorch does. */
function divOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [ta, tb] = operands(op, a, b, false);
  if (ta.dtype === 'bool') {
    throw new Error(`${op}: not implemented for bool tensors (as in PyTorch); cast first, e.g. .int()`);
  }
  return [ta, tb];
}

/** Integer `a - trunc(a / b) * b` and the truncated quotient; division by zero is an error naming `op`. */
function intDivMod(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // an asynchronous backend reports its div's error at the next read, naming div: check first
  if (a._backend.readsSync === false) {
    checkOnDevice(
      () => b.ne(0),
      () => `${op}: integer division by zero (${a.dtype} ${fmtShape(a.shape)} by ${fmtShape(b.shape)})`,
    );
  }
  try {
    const q = binaryRaw('div', a, b);
    return [q, sub(a, mul(q, b))];
  } catch (e) {
    // integer division by zero (PyTorch's ZeroDivisionError), reported by the backend's div or,
    // where it stores integers as floats (gpujs), by the next op on the inf it produced
    throw new Error(`${op}: ${(e as Error).message} (an integer division by zero?)`);
  }
}

/** `x` as `hi + lo`, each with half the significand (Veltkamp's split; one kernel per step, so no FMA). */
function split(x: Tensor): [Tensor, Tensor] {
  const c = mul(x, x.dtype === 'float64' ? 134217729 : 4097); // 2^27 + 1, 2^12 + 1
  const hi = sub(c, sub(c, x));
  return [hi, sub(x, hi)];
}

/** `q · b` as `p + e` exactly (Dekker's TwoProduct). */
function twoProduct(q: Tensor, b: Tensor): [Tensor, Tensor] {
  const p = mul(q, b);
  const [qh, ql] = split(q);
  const [bh, bl] = split(b);
  const e = add(add(add(sub(mul(qh, bh), p), mul(qh, bl)), mul(ql, bh)), mul(ql, bl));
  return [p, e];
}

/**
 * C's fmod of float tensors of one dtype (no recording), exact while the quotient's integer part
 * fits the dtype's significand (2^24 in float32, 2^53 in float64): `q = trunc(a / b)` may be one
 * off where the quotient rounds onto an integer, so `a - q·b` is computed exactly (TwoProduct)
 * and brought back into `(-|b|, |b|)` with a's sign. C's special cases: fmod(a, 0) and
 * fmod(±inf, b) are NaN, fmod(a, ±inf) is a, a zero result has a's sign.
 */
function fmodRaw(a: Tensor, b: Tensor): Tensor {
  const q = trunc(div(a, b));
  const [p, e] = twoProduct(q, b);
  const exact = sub(sub(a, p), e);
  // beyond the significand (or where the split overflows) the plain formula is the best here
  const limit = a.dtype === 'float64' ? 2 ** 53 : 2 ** 24;
  let r = where(lt(abs(q), limit), exact, sub(a, p));
  const s = where(lt(a, 0), -1, 1);
  const bb = abs(b);
  r = where(lt(mul(r, s), 0), add(r, mul(bb, s)), r); // q one too far from zero
  r = where(ge(abs(r), bb), sub(r, mul(bb, s)), r); // q one too close to zero
  r = where(eq(r, 0), mul(a, 0), r);
  return where(logicalAnd(isinf(b), isfinite(a)), a, r);
}

/** Where fmod's result and the divisor differ in sign (PyTorch adds the divisor there). */
function signMismatch(mod: Tensor, b: Tensor): Tensor {
  return logicalAnd(ne(mod, 0), ne(lt(b, 0), lt(mod, 0)));
}

function remainderRaw(a: Tensor, b: Tensor): Tensor {
  const mod = fmodRaw(a, b);
  return where(signMismatch(mod, b), add(mod, b), mod);
}

/** PyTorch's div_floor_floating, step for step. */
function floorDivRaw(a: Tensor, b: Tensor): Tensor {
  const mod = fmodRaw(a, b);
  let d = div(sub(a, mod), b);
  d = where(signMismatch(mod, b), sub(d, 1), d);
  let fl = floor(d);
  fl = where(gt(sub(d, fl), 0.5), add(fl, 1), fl);
  // a zero quotient keeps the sign of a / b; division by zero is IEEE's a / b
  const q = div(a, b);
  const res = where(ne(d, 0), fl, mul(q, 0));
  return where(eq(b, 0), q, res);
}

/**
 * C's `fmod`: the remainder of `input / other` rounded toward zero, with the sign of `input`
 * (`fmod(-3, 2)` is -1), elementwise with broadcasting and PyTorch's type promotion. Exact for
 * integers (division by zero is an error) and, on backends with float64, for float32. The
 * gradient is 1 for `input` and `-trunc(input / other)` for `other`.
 *
 * ```ts
 * fmod(tensor([-3, 3]), 2); // tensor([-1.,  1.])
 * ```
 */
export function fmod(input: TensorLike, other: TensorLike): Tensor {
  const [a, b] = divOperands('fmod', input, other);
  if (!isFloat(a.dtype)) return intDivMod('fmod', a, b)[1];
  const y = noGrad(() => opmath(a.dtype, [a, b], fmodRaw));
  return record(
    'FmodBackward',
    y,
    [a, b],
    (g) => [
      a._requiresGrad ? unbroadcast(g, a.shape) : null,
      b._requiresGrad ? unbroadcast(neg(mul(g, trunc(div(a, b)))), b.shape) : null,
    ],
    [a, b],
  );
}

/**
 * Python's modulus: the remainder of `input / other` rounded toward -∞, with the sign of
 * `other` (`remainder(-3, 2)` is 1), elementwise with broadcasting and PyTorch's type
 * promotion. Either operand may be a number. The gradient is 1 for `input` and
 * `-floor(input / other)` for `other`.
 *
 * ```ts
 * remainder(tensor([-3, 3]), 2); // tensor([1., 1.])
 * ```
 */
export function remainder(input: TensorLike, other: TensorLike): Tensor {
  const [a, b] = divOperands('remainder', input, other);
  if (!isFloat(a.dtype)) {
    const mod = intDivMod('remainder', a, b)[1];
    return where(signMismatch(mod, b), add(mod, b), mod);
  }
  const y = noGrad(() => opmath(a.dtype, [a, b], remainderRaw));
  return record(
    'RemainderBackward',
    y,
    [a, b],
    (g) => [
      a._requiresGrad ? unbroadcast(g, a.shape) : null,
      b._requiresGrad ? unbroadcast(neg(mul(g, floor(div(a, b)))), b.shape) : null,
    ],
    [a, b],
  );
}

/** Floor division of operands of one dtype (no recording). */
function floorDivOf(op: string, a: Tensor, b: Tensor): Tensor {
  if (!isFloat(a.dtype)) {
    const [q, r] = intDivMod(op, a, b);
    return where(signMismatch(r, b), sub(q, 1), q);
  }
  return noGrad(() => opmath(a.dtype, [a, b], floorDivRaw));
}

/**
 * `input / other` rounded toward -∞ (PyTorch 1.13's `floor_divide`, i.e. Python's `//`),
 * elementwise with broadcasting and PyTorch's type promotion; integer results stay integers
 * (division by zero is an error). Not differentiable: as in PyTorch, backward through it is an
 * error (`div(a, b, { roundingMode: 'floor' })` has a zero gradient instead).
 *
 * ```ts
 * floorDivide(tensor([-7, 7]), 2); // tensor([-4,  3])
 * ```
 */
export function floorDivide(input: TensorLike, other: TensorLike): Tensor {
  const [a, b] = divOperands('floorDivide', input, other);
  const y = floorDivOf('floorDivide', a, b);
  if (!isFloat(y.dtype)) return y;
  return noDerivative('floorDivide', y, [a, b], "div(a, b, { roundingMode: 'floor' }) has a zero gradient");
}

/**
 * `div(a, b, { roundingMode })` for 'trunc' and 'floor' (binary.ts's div calls this): PyTorch's
 * div_trunc (`trunc(a / b)`, the quotient rounded in the operands' dtype first) and
 * div_floor; the gradient is zero, as PyTorch's.
 */
function roundingDiv(a: TensorLike, b: TensorLike, mode: 'trunc' | 'floor'): Tensor {
  const [ta, tb] = divOperands('div', a, b);
  if (!isFloat(ta.dtype)) return mode === 'trunc' ? intDivMod('div', ta, tb)[0] : floorDivOf('div', ta, tb);
  const y = noGrad(() => (mode === 'trunc' ? trunc(div(ta, tb)) : floorDivOf('div', ta, tb)));
  return record('DivBackward', y, [ta, tb], (g) => [
    ta._requiresGrad ? unbroadcast(mul(g, 0), ta.shape) : null,
    tb._requiresGrad ? unbroadcast(mul(g, 0), tb.shape) : null,
  ]);
}

setRoundingDiv(roundingDiv);

const SHAPES: [string, number[], number[]][] = [
  ['same', [3, 4], [3, 4]],
  ['broadcast', [2, 3], [3]],
  ['broadcast_both', [3, 1], [1, 4]],
];
// quotients that round onto an integer (10.5 / 0.1, 12345.678 / 0.1, …) test fmod's exactness
const EDGE_A = [
  0,
  -0,
  5.5,
  -5.5,
  3,
  -3,
  1e-8,
  -1e-8,
  10.5,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  7,
  12345.678,
  -7.9,
  1e-3,
  1e6 + 0.5,
];
const EDGE_B = [2, 2, 2, 2, -2, -2, 1, 1, 0.1, 2, 2, 0, 0.1, 0.7, 7e-4, -0.3];
const INF_B = [3, -4, 0, -0];

/** Cases shared by the division ops: float broadcasting, scalars, edges, integers, bool. */
function divisionCases(throwsOnBool: boolean, grad: boolean) {
  const nograd = { noGrad: !grad };
  return [
    ...SHAPES.map(([label, sa, sb]) => c(label, [t(sa, 'normal'), t(sb, 'nonzero')], [], undefined, nograd)),
    c(
      'noncontiguous',
      [t([3, 4], 'normal', { transposed: true }), t([3, 4], 'nonzero')],
      [],
      undefined,
      nograd,
    ),
    c('number', [t([2, 3], 'normal')], [1.5], undefined, nograd),
    c('negative_number', [t([2, 3], 'normal')], [-0.75], undefined, nograd),
    c('edges', [v(EDGE_A), v(EDGE_B)], [], undefined, { noGrad: true }),
    c('infinite_divisor', [v(INF_B), v(INF_B.map(() => Number.POSITIVE_INFINITY))], [], undefined, {
      noGrad: true,
    }),
    c('neg_infinite_divisor', [v(INF_B), v(INF_B.map(() => Number.NEGATIVE_INFINITY))], [], undefined, {
      noGrad: true,
    }),
    c('int64', [v([7, -7, 7, -7, 0, 6], { dtype: 'int64' }), v([2, 2, -2, -2, 3, -3], { dtype: 'int64' })]),
    c('int32_number', [v([7, -7, 5], { dtype: 'int32' })], [3]),
    c('int_float', [v([7, -7, 5], { dtype: 'int64' })], [2.5]),
    c('float64', [t([5], 'normal', { dtype: 'float64' }), t([5], 'nonzero')], [], undefined, nograd),
    c(
      'float64_edges',
      [
        v(EDGE_A, { dtype: 'float64' }),
        v([...EDGE_B.slice(0, 12), 0.1, 0.7, 7e-4, -0.3], { dtype: 'float64' }),
      ],
      [],
      undefined,
      { noGrad: true },
    ),
    c('int_by_zero', [v([1, 2], { dtype: 'int64' }), v([1, 0], { dtype: 'int64' })], [], undefined, {
      throws: true,
    }),
    ...(throwsOnBool ? [c('bool', [t([3], 'bool'), t([3], 'bool')], [], undefined, { throws: true })] : []),
  ];
}

const OPS = defineOps({
  trunc: {
    fn: trunc,
    cases: [
      ...unaryCases('normal', { special: true }),
      c('halves', [v([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.25])]),
      c('int', [t([5], 'smallint', { dtype: 'int64' })]),
      c('bool', [t([3], 'bool')], [], undefined, { throws: true }),
    ],
  },
  frac: {
    fn: frac,
    cases: [
      ...unaryCases('normal', { special: true }),
      c('int', [t([5], 'smallint', { dtype: 'int64' })], [], undefined, { throws: true }),
    ],
  },
  fmod: { fn: fmod, cases: divisionCases(true, true) },
  remainder: {
    fn: remainder,
    cases: [...divisionCases(false, true), c('bool_int', [t([3], 'bool')], [2])],
  },
  floorDivide: { fn: floorDivide, grad: false, cases: divisionCases(true, false) },
  // div itself lives in binary.ts (its method in methods.ts); these are its rounding modes.
  div: {
    fn: div,
    method: false,
    cases: [
      c('true', [t([3, 4], 'normal'), t([3, 4], 'nonzero')]),
      c('int_true', [v([7, -7], { dtype: 'int64' }), v([2, 2], { dtype: 'int64' })]),
      ...(['trunc', 'floor'] as const).flatMap((mode) => [
        c(`${mode}_float`, [t([3, 4], 'normal'), t([4], 'nonzero')], [], { roundingMode: mode }),
        c(`${mode}_edges`, [v(EDGE_A), v(EDGE_B)], [], { roundingMode: mode }, { noGrad: true }),
        c(
          `${mode}_int`,
          [v([7, -7, 7, -7, 0], { dtype: 'int64' }), v([2, 2, -2, -2, 5], { dtype: 'int64' })],
          [],
          { roundingMode: mode },
        ),
        c(`${mode}_number`, [t([2, 3], 'normal')], [0.75], { roundingMode: mode }),
        c(`${mode}_bool`, [t([3], 'bool'), t([3], 'bool')], [], { roundingMode: mode }, { throws: true }),
      ]),
      c('null_mode', [t([3], 'normal'), t([3], 'nonzero')], [], { roundingMode: null }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./rounding.js'), typeof OPS> {}
}
