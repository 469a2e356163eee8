// Trigonometric and hyperbolic functions beyond the primitives sin, cos and tanh (table entries,
// ops/table.ts). No backend has an atan primitive, so atan is Cephes' rational approximation
// (accurate to float64's last digits after its range reduction), asin, acos and atan2 build on
// it, and the hyperbolic functions on exp, expm1 and log1p. The forward passes run through
// opmath (float64 where the backend has it, so a float32 result is rounded once) and under
// noGrad; each op records PyTorch's derivative formula, written with tensor ops.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add,
  div,
  eq,
  gt,
  logicalAnd,
  logicalOr,
  lt,
  maximum,
  minimum,
  mul,
  neg,
  operands,
  sub,
  where,
} from './binary.js';
import { cast } from './convert.js';
import { floatDtype, opmath } from './opmath.js';
import { abs, cos, exp, expm1, log, log1p, reciprocal, rsqrt, sin, sqrt } from './pointwise.js';
import { c, defineOps, type TableMethods, t, unaryCases, v } from './table.js';
import { unaryRaw } from './unary.js';
import { unbroadcast } from './unbroadcast.js';
import { checkTensor, type TensorLike } from './util.js';

/** `x` as a float tensor (integers and bool promoted to float32), for the float-only ops. */
function floatInput(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  return cast(x, floatDtype(x));
}

/** `|y|` with the sign of `x` (`x` = ±0 included, through the raw sign kernel's -0). */
function withSignOf(y: Tensor, x: Tensor): Tensor {
  return mul(y, unaryRaw('sign', x));
}

// ---- atan: Cephes atan.c (double precision) ------------------------------------------------

// The shortest doubles of Cephes' constants (the same values as its 20-digit literals).
const P = [
  -0.8750608600031904, -16.157537187333652, -75.00855792314705, -122.88666844901361, -64.85021904942025,
];
const Q = [24.858464901423062, 165.02700983169885, 432.88106049129027, 485.3903996359137, 194.5506571482614];
const T3P8 = 2.414213562373095; // tan(3π/8)
const MOREBITS = 6.123233995736766e-17; // π/2 - fl(π/2)

/** Horner's rule; `monic` adds a leading coefficient 1. */
function polevl(z: Tensor, coef: readonly number[], monic: boolean): Tensor {
  let acc: Tensor | number = monic ? 1 : coef[0];
  for (let i = monic ? 0 : 1; i < coef.length; i++) {
    acc = add(typeof acc === 'number' ? mul(z, acc) : mul(acc, z), coef[i]);
  }
  return acc as Tensor;
}

/** atan of a float tensor (no recording): range reduction to |x| <= 0.66, then P/Q. */
function atanRaw(x: Tensor): Tensor {
  const a = abs(x);
  const big = gt(a, T3P8);
  const mid = logicalAnd(gt(a, 0.66), big.logicalNot());
  // the reduced argument: -1/a above tan(3π/8), (a-1)/(a+1) above 0.66, else a
  const r = where(big, neg(reciprocal(a)), where(mid, div(sub(a, 1), add(a, 1)), a));
  const base = where(big, Math.PI / 2 + MOREBITS, where(mid, Math.PI / 4 + 0.5 * MOREBITS, 0));
  const z = mul(r, r);
  const poly = div(mul(z, polevl(z, P, false)), polevl(z, Q, true));
  return withSignOf(add(base, add(mul(r, poly), r)), x);
}

/**
 * The arctangent, elementwise, in (-π/2, π/2) (integers are promoted to float32).
 *
 * ```ts
 * atan(tensor([0, 1, Infinity])); // tensor([0.0000, 0.7854, 1.5708])
 * ```
 */
export function atan(x: Tensor): Tensor {
  const xf = floatInput('atan', x);
  const y = noGrad(() => opmath(xf.dtype, [xf], atanRaw));
  return record('AtanBackward', y, [xf], (g) => [div(g, add(mul(xf, xf), 1))], [xf]);
}

/** The arcsine, elementwise, in [-π/2, π/2]; NaN outside [-1, 1]. */
export function asin(x: Tensor): Tensor {
  const xf = floatInput('asin', x);
  // atan(x / sqrt((1 - x)(1 + x))): 1 - x is exact near 1, so no cancellation there.
  const y = noGrad(() => opmath(xf.dtype, [xf], (w) => atanRaw(div(w, sqrt(mul(sub(1, w), add(w, 1)))))));
  return record('AsinBackward', y, [xf], (g) => [mul(g, rsqrt(sub(1, mul(xf, xf))))], [xf]);
}

/** The arccosine, elementwise, in [0, π]; NaN outside [-1, 1]. */
export function acos(x: Tensor): Tensor {
  const xf = floatInput('acos', x);
  // 2 atan(sqrt((1 - x) / (1 + x))), accurate at both ends.
  const y = noGrad(() => opmath(xf.dtype, [xf], (w) => mul(atanRaw(sqrt(div(sub(1, w), add(w, 1)))), 2)));
  return record('AcosBackward', y, [xf], (g) => [neg(mul(g, rsqrt(sub(1, mul(xf, xf)))))], [xf]);
}

/** True where `x` is negative or -0 (the sign bit). */
function signbit(x: Tensor): Tensor {
  return logicalOr(lt(x, 0), logicalAnd(eq(x, 0), lt(reciprocal(x), 0)));
}

/** atan2 of float tensors of one dtype (no recording), C's special cases included. */
function atan2Raw(y: Tensor, x: Tensor): Tensor {
  const ax = abs(x);
  const ay = abs(y);
  // the angle in [0, π/2] of (|x|, |y|): 0/0 and ∞/∞ are C's 0 and π/4
  let a = atanRaw(div(ay, ax));
  a = where(logicalAnd(eq(ax, 0), eq(ay, 0)), 0, a);
  a = where(logicalAnd(eq(ax, Number.POSITIVE_INFINITY), eq(ay, Number.POSITIVE_INFINITY)), Math.PI / 4, a);
  // x < 0 (or -0): the left half-plane; then the sign of y (or -0)
  a = where(signbit(x), sub(Math.PI, a), a);
  return where(signbit(y), neg(a), a);
}

/**
 * The angle of the point `(other, input)`: `atan2(input, other)` elementwise with broadcasting,
 * in [-π, π], C's special cases included (`atan2(0, -0)` is π, `atan2(∞, ∞)` is π/4). Integers
 * are promoted to float32. (PyTorch takes tensors only; a number operand is accepted here.)
 *
 * ```ts
 * atan2(tensor([1, -1]), tensor([-1, -1])); // tensor([ 2.3562, -2.3562])
 * ```
 */
export function atan2(input: TensorLike, other: TensorLike): Tensor {
  const [y, x] = operands('atan2', input, other, true);
  const out = noGrad(() => opmath(y.dtype, [y, x], atan2Raw));
  return record(
    'Atan2Backward',
    out,
    [y, x],
    (g) => {
      // PyTorch's atan2_backward: d/dy = x / (x² + y²), d/dx = -y / (x² + y²).
      const recip = reciprocal(add(mul(x, x), mul(y, y)));
      return [
        y._requiresGrad ? unbroadcast(mul(g, mul(x, recip)), y.shape) : null,
        x._requiresGrad ? unbroadcast(mul(g, mul(neg(y), recip)), x.shape) : null,
      ];
    },
    [y, x],
  );
}

/** The tangent (radians), elementwise: `sin(x) / cos(x)` rounded once. */
export function tan(x: Tensor): Tensor {
  const xf = floatInput('tan', x);
  const y = noGrad(() => opmath(xf.dtype, [xf], (w) => div(sin(w), cos(w))));
  // PyTorch: grad * (1 + tan(x)²)
  return record('TanBackward', y, [xf], (g) => [mul(g, add(mul(y, y), 1))], [y]);
}

// ---- hyperbolic ------------------------------------------------------------------------------

/** sinh of a float tensor (no recording): expm1 below |x| = 1, exp(|x|/2)² / 2 above (no early overflow). */
function sinhRaw(x: Tensor): Tensor {
  const a = abs(x);
  const small = lt(a, 1);
  // each branch sees only its own range, so the other never overflows into NaN
  const e = expm1(minimum(a, 1));
  const lo = mul(add(e, div(e, add(e, 1))), 0.5);
  const h = exp(mul(maximum(a, 1), 0.5));
  const hi = sub(mul(mul(h, 0.5), h), div(0.5, mul(h, h)));
  return withSignOf(where(small, lo, hi), x);
}

/** cosh of a float tensor (no recording): exp(|x|/2)² / 2 + 1 / (2 exp(|x|)), finite up to PyTorch's overflow. */
function coshRaw(x: Tensor): Tensor {
  const h = exp(mul(abs(x), 0.5));
  return add(mul(mul(h, 0.5), h), div(0.5, mul(h, h)));
}

/** The hyperbolic sine, elementwise. */
export function sinh(x: Tensor): Tensor {
  const xf = floatInput('sinh', x);
  const y = noGrad(() => opmath(xf.dtype, [xf], sinhRaw));
  return record('SinhBackward', y, [xf], (g) => [mul(g, cosh(xf))], [xf]);
}

/** The hyperbolic cosine, elementwise. */
export function cosh(x: Tensor): Tensor {
  const xf = floatInput('cosh', x);
  const y = noGrad(() => opmath(xf.dtype, [xf], coshRaw));
  return record('CoshBackward', y, [xf], (g) => [mul(g, sinh(xf))], [xf]);
}

/** Above this the squares of asinh/acosh's formulas would overflow: log(2x) is exact there. */
const HUGE = 2 ** 28;

/** The inverse hyperbolic sine, elementwise. */
export function asinh(x: Tensor): Tensor {
  const xf = floatInput('asinh', x);
  const y = noGrad(() =>
    opmath(xf.dtype, [xf], (w) => {
      const a = abs(w);
      // log1p(a + a² / (1 + sqrt(1 + a²))): no cancellation near 0
      const s = minimum(a, HUGE);
      const s2 = mul(s, s);
      const lo = log1p(add(s, div(s2, add(sqrt(add(s2, 1)), 1))));
      const hi = add(log(maximum(a, HUGE)), Math.LN2);
      return withSignOf(where(lt(a, HUGE), lo, hi), w);
    }),
  );
  return record('AsinhBackward', y, [xf], (g) => [mul(g, rsqrt(add(mul(xf, xf), 1)))], [xf]);
}

/** The inverse hyperbolic cosine, elementwise; NaN below 1. */
export function acosh(x: Tensor): Tensor {
  const xf = floatInput('acosh', x);
  const y = noGrad(() =>
    opmath(xf.dtype, [xf], (w) => {
      // log1p(t + sqrt(2t + t²)) with t = x - 1 (exact near 1)
      const tt = sub(minimum(w, HUGE), 1);
      const lo = log1p(add(tt, sqrt(mul(tt, add(tt, 2)))));
      const hi = add(log(maximum(w, HUGE)), Math.LN2);
      return where(lt(w, HUGE), lo, hi);
    }),
  );
  return record('AcoshBackward', y, [xf], (g) => [mul(g, rsqrt(sub(mul(xf, xf), 1)))], [xf]);
}

/** The inverse hyperbolic tangent, elementwise; ±inf at ±1, NaN beyond. */
export function atanh(x: Tensor): Tensor {
  const xf = floatInput('atanh', x);
  // log1p(2x / (1 - x)) / 2: no cancellation near 0
  const y = noGrad(() => opmath(xf.dtype, [xf], (w) => mul(log1p(div(mul(w, 2), sub(1, w))), 0.5)));
  return record('AtanhBackward', y, [xf], (g) => [div(g, sub(1, mul(xf, xf)))], [xf]);
}

/**
 * `sqrt(input² + other²)` elementwise with broadcasting, without overflow or underflow in
 * between (C's `hypot`: `hypot(∞, NaN)` is ∞). Floating point only, as in PyTorch.
 *
 * ```ts
 * hypot(tensor([3, 5]), tensor([4, 12])); // tensor([ 5., 13.])
 * ```
 */
export function hypot(input: TensorLike, other: TensorLike): Tensor {
  const [a, b] = operands('hypot', input, other, false);
  if (!isFloat(a.dtype)) {
    throw new Error(
      `hypot: not implemented for ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)} (floating point only, as in PyTorch; use .float())`,
    );
  }
  const out = noGrad(() =>
    opmath(a.dtype, [a, b], (p, q) => {
      const ap = abs(p);
      const aq = abs(q);
      const m = maximum(ap, aq);
      const n = minimum(ap, aq);
      const ratio = div(n, where(eq(m, 0), 1, m));
      let r = mul(m, sqrt(add(mul(ratio, ratio), 1)));
      r = where(eq(m, 0), 0, r);
      const inf = logicalOr(eq(ap, Number.POSITIVE_INFINITY), eq(aq, Number.POSITIVE_INFINITY));
      return where(inf, Number.POSITIVE_INFINITY, r);
    }),
  );
  return record(
    'HypotBackward',
    out,
    [a, b],
    (g) => [
      a._requiresGrad ? unbroadcast(mul(g, div(a, out)), a.shape) : null,
      b._requiresGrad ? unbroadcast(mul(g, div(b, out)), b.shape) : null,
    ],
    [a, b, out],
  );
}

const BINARY_SHAPES: [string, number[], number[]][] = [
  ['same', [3, 4], [3, 4]],
  ['broadcast', [2, 3], [3]],
  ['broadcast_both', [3, 1], [1, 4]],
  ['scalar_tensor', [2, 3], []],
];

const EDGES = [0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 2.5];

const OPS = defineOps({
  tan: { fn: tan, cases: unaryCases('unit', { int: true, special: true }) },
  atan: {
    fn: atan,
    cases: [
      ...unaryCases('normal', { int: true, special: true }),
      // every branch of the range reduction, both signs
      c('ranges', [v([0.1, -0.5, 0.65, 0.7, -1, 1.5, 2.4, 2.5, -10, 1e4, -3e7, 0.3])]),
    ],
  },
  asin: {
    fn: asin,
    cases: [
      ...unaryCases('unit', { int: true, special: true }),
      c('ends', [v([-1, 1, 0.999, -0.9999])], [], undefined, { noGrad: true }),
    ],
  },
  acos: {
    fn: acos,
    cases: [
      ...unaryCases('unit', { int: true, special: true }),
      c('ends', [v([-1, 1, 0.999, -0.9999])], [], undefined, { noGrad: true }),
    ],
  },
  atan2: {
    fn: atan2,
    cases: [
      ...BINARY_SHAPES.map(([label, sa, sb]) => c(label, [t(sa, 'normal'), t(sb, 'nonzero')])),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true }), t([3, 4], 'nonzero')]),
      // C's special cases: every pair of the edge values
      c(
        'edges',
        [
          v(
            EDGES.flatMap((y) => EDGES.map(() => y)),
            { shape: [8, 8] },
          ),
          v(
            EDGES.flatMap(() => EDGES),
            { shape: [8, 8] },
          ),
        ],
        [],
        undefined,
        { noGrad: true },
      ),
      c('int', [t([4], 'smallint', { dtype: 'int64' }), t([4], 'smallint', { dtype: 'int64' })]),
      c('float64', [t([3], 'normal', { dtype: 'float64' }), t([3], 'nonzero')]),
    ],
  },
  sinh: {
    fn: sinh,
    cases: [
      ...unaryCases('normal', { int: true, special: true }),
      c('ranges', [v([1e-4, -0.5, 0.999, 1, -1.001, 20, 88.5, -89, 89.5, 1e-30])], [], undefined, {
        noGrad: true,
      }),
    ],
  },
  cosh: {
    fn: cosh,
    cases: [
      ...unaryCases('normal', { int: true, special: true }),
      c('ranges', [v([1e-4, -0.5, 1, 20, 88.5, -89, 89.5])], [], undefined, { noGrad: true }),
    ],
  },
  asinh: {
    fn: asinh,
    cases: [
      ...unaryCases('normal', { int: true, special: true }),
      c('ranges', [v([1e-6, -0.01, 5, -1e5, 3e8, 1e30, -3e38])], [], undefined, { noGrad: true }),
    ],
  },
  acosh: {
    fn: acosh,
    cases: [
      ...unaryCases('gt1', { int: true, special: true }),
      c('ranges', [v([1, 1.0001, 5, 1e5, 3e8, 1e30, 0.5])], [], undefined, { noGrad: true }),
    ],
  },
  atanh: {
    fn: atanh,
    cases: [
      ...unaryCases('unit', { int: true, special: true }),
      c('ranges', [v([1e-6, -0.01, 0.5, 0.99999, -1, 1, 1.5])], [], undefined, { noGrad: true }),
    ],
  },
  hypot: {
    fn: hypot,
    cases: [
      ...BINARY_SHAPES.map(([label, sa, sb]) => c(label, [t(sa, 'nonzero'), t(sb, 'nonzero')])),
      c(
        'edges',
        [
          v(
            EDGES.flatMap((y) => EDGES.map(() => y)),
            { shape: [8, 8] },
          ),
          v(
            EDGES.flatMap(() => EDGES),
            { shape: [8, 8] },
          ),
        ],
        [],
        undefined,
        { noGrad: true },
      ),
      c('huge', [v([3e30, 1e-30, 3e38]), v([4e30, 1e-30, 3e38])], [], undefined, { noGrad: true }),
      c(
        'int',
        [t([4], 'smallint', { dtype: 'int64' }), t([4], 'smallint', { dtype: 'int64' })],
        [],
        undefined,
        { throws: true },
      ),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./trig.js'), typeof OPS> {}
}
