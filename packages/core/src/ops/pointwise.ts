// The elementwise ops that are one backend primitive each (UNARY_OPS), plus square and sgn,
// as public functions and table entries (ops/table.ts). Their gradients are in ops/unary.ts.

import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, where } from './binary.js';
import { c, defineOps, type TableMethods, t, unaryCases } from './table.js';
import { unary, unaryRaw } from './unary.js';

/** The absolute value, elementwise (integers stay integers). */
export function abs(x: Tensor): Tensor {
  return unary('abs', x);
}

/**
 * -1, 0 or 1 by the sign of each element, PyTorch's `(0 < x) - (x < 0)`: NaN gives 0 and -0
 * gives +0; gradient zero. Bool stays bool, integers stay integers.
 */
export function sign(x: Tensor): Tensor {
  const y = unary('sign', x);
  if (!isFloat(y.dtype)) return y;
  // A backend's sign kernel may keep NaN and -0 (as Math.sign does); PyTorch gives 0 and +0.
  return add(where(isnan(x), 0, y), 0);
}

/**
 * PyTorch's `sgn`: `x / |x|` for complex numbers, which for real tensors (the only ones here)
 * is {@link sign}.
 */
export function sgn(x: Tensor): Tensor {
  return sign(x);
}

/** `e^x`, elementwise (integers are promoted to float32). */
export function exp(x: Tensor): Tensor {
  return unary('exp', x);
}

/** `e^x - 1`, accurate for small `x`. */
export function expm1(x: Tensor): Tensor {
  return unary('expm1', x);
}

/** The natural logarithm (NaN below 0, -inf at 0). */
export function log(x: Tensor): Tensor {
  return unary('log', x);
}

/** `log(1 + x)`, accurate for small `x`. */
export function log1p(x: Tensor): Tensor {
  return unary('log1p', x);
}

/** The square root (NaN below 0). */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x);
}

/** `1 / sqrt(x)`. */
export function rsqrt(x: Tensor): Tensor {
  return unary('rsqrt', x);
}

/** `1 / x` (integers are promoted to float32). */
export function reciprocal(x: Tensor): Tensor {
  return unary('reciprocal', x);
}

/** The sine (radians). */
export function sin(x: Tensor): Tensor {
  return unary('sin', x);
}

/** The cosine (radians). */
export function cos(x: Tensor): Tensor {
  return unary('cos', x);
}

/** The hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x);
}

/** The logistic function `1 / (1 + e^-x)`. */
export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x);
}

/** `max(x, 0)` (NaN stays NaN); gradient 0 at 0, as PyTorch. */
export function relu(x: Tensor): Tensor {
  return unary('relu', x);
}

/** The error function. */
export function erf(x: Tensor): Tensor {
  return unary('erf', x);
}

/** Rounds down; gradient zero. */
export function floor(x: Tensor): Tensor {
  return unary('floor', x);
}

/** Rounds up; gradient zero. */
export function ceil(x: Tensor): Tensor {
  return unary('ceil', x);
}

/** Rounds half to even (`round(2.5)` is 2, as `torch.round`); gradient zero. */
export function round(x: Tensor): Tensor {
  return unary('round', x);
}

/** True where `x` is NaN (bool). */
export function isnan(x: Tensor): Tensor {
  return unaryRaw('isnan', x);
}

/** Logical not (bool result; non-zero counts as true). */
export function logicalNot(x: Tensor): Tensor {
  return unaryRaw('logicalNot', x);
}

/**
 * `x * x`, elementwise. Integers stay integers and bool becomes int64, as in PyTorch.
 *
 * ```ts
 * square(tensor([1, -2, 3])); // tensor([1., 4., 9.])
 * ```
 */
export function square(x: Tensor): Tensor {
  return x.dtype === 'bool' ? mul(x.long(), x.long()) : mul(x, x);
}

const OPS = defineOps({
  abs: {
    fn: abs,
    cases: [...unaryCases('distinct', { special: true }), c('int', [t([5], 'smallint', { dtype: 'int32' })])],
  },
  sign: { fn: sign, cases: unaryCases('distinct', { special: true, int: true }) },
  sgn: { fn: sgn, cases: unaryCases('distinct', { special: true, int: true }) },
  exp: { fn: exp, cases: unaryCases('normal', { int: true, special: true }) },
  expm1: { fn: expm1, cases: unaryCases('normal', { special: true }) },
  log: { fn: log, cases: unaryCases('positive', { int: true, special: true }) },
  log1p: { fn: log1p, cases: unaryCases('positive', { special: true }) },
  sqrt: { fn: sqrt, cases: unaryCases('positive', { int: true, special: true }) },
  rsqrt: { fn: rsqrt, cases: unaryCases('positive', { special: true }) },
  reciprocal: { fn: reciprocal, cases: unaryCases('nonzero', { int: true, special: true }) },
  sin: { fn: sin, cases: unaryCases('normal', { special: true }) },
  cos: { fn: cos, cases: unaryCases('normal', { special: true }) },
  tanh: { fn: tanh, cases: unaryCases('normal', { special: true }) },
  sigmoid: { fn: sigmoid, cases: unaryCases('normal', { special: true }) },
  relu: { fn: relu, cases: unaryCases('distinct', { special: true }) },
  erf: { fn: erf, cases: unaryCases('normal', { special: true }) },
  floor: { fn: floor, cases: unaryCases('normal', { special: true }) },
  ceil: { fn: ceil, cases: unaryCases('normal', { special: true }) },
  round: { fn: round, cases: unaryCases('normal', { special: true }) },
  isnan: {
    fn: isnan,
    grad: false,
    cases: [c('special', [t([11], 'special')]), c('int', [t([4], 'smallint', { dtype: 'int64' })])],
  },
  logicalNot: {
    fn: logicalNot,
    torch: 'torch.logical_not',
    grad: false,
    cases: [c('bool', [t([2, 3], 'bool')]), c('float', [t([11], 'special')])],
  },
  square: { fn: square, cases: unaryCases('normal', { int: true, special: true }) },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./pointwise.js'), typeof OPS> {}
}
