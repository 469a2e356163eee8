// nn.init: the structured and truncated initialisers (PyTorch's trunc_normal_, eye_, dirac_,
// sparse_). Values come from the core generator: distributions match PyTorch's, the numbers
// cannot (another random stream).
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assign } from './init.js';

const SQRT2 = Math.SQRT2;

/** The standard normal CDF. */
function normCdf(x: number): number {
  return (1 + erf(x / SQRT2)) / 2;
}

/** erf to ~1e-15 (series near 0, continued fraction for the tails). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc by Lentz's continued fraction.
  const z = ax;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = z + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = z + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-z * z) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

/** erf⁻¹ by Newton's method on {@link erf} (from a logistic-style first guess). */
function erfinv(y: number): number {
  if (y <= -1) return Number.NEGATIVE_INFINITY;
  if (y >= 1) return Number.POSITIVE_INFINITY;
  const w = -Math.log((1 - y) * (1 + y));
  let x =
    Math.sign(y) *
    Math.sqrt(
      Math.max(
        0,
        Math.sqrt((2 / (Math.PI * 0.147) + w / 2) ** 2 - w / 0.147) - (2 / (Math.PI * 0.147) + w / 2),
      ),
    );
  for (let i = 0; i < 4; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/**
 * Fills `t` from N(mean, std²) truncated to [a, b] (PyTorch's `trunc_normal_`, by the same
 * inverse-CDF method: a uniform between the CDF values of the bounds, mapped back).
 */
export function truncNormal_(
  t: Tensor,
  mean = 0,
  std = 1,
  a = -2,
  b = 2,
  generator: Generator = defaultGenerator,
): Tensor {
  if (!(std > 0) || !(a < b)) {
    throw new Error(`truncNormal_: need std > 0 and a < b, got std=${std}, a=${a}, b=${b}`);
  }
  const lo = normCdf((a - mean) / std);
  const hi = normCdf((b - mean) / std);
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 2 * lo - 1 + (2 * hi - 2 * lo) * generator.random();
    const x = mean + std * SQRT2 * erfinv(u);
    v[i] = Math.min(b, Math.max(a, x));
  }
  return assign(t, v);
}

/** Fills the 2-D `t` with the identity (ones on the main diagonal), as PyTorch's `eye_`. */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error(`eye_: only 2-D tensors are supported, got ${fmtShape(t.shape)}`);
  const [rows, cols] = t.shape;
  const v = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) v[i * cols + i] = 1;
  return assign(t, v);
}

/**
 * Fills the 3-, 4- or 5-D convolution weight `t` with the Dirac delta (PyTorch's `dirac_`):
 * each output channel passes one input channel through unchanged, per group.
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  if (t.ndim < 3 || t.ndim > 5) {
    throw new Error(`dirac_: only 3, 4 and 5-D tensors are supported, got ${fmtShape(t.shape)}`);
  }
  const [out, inC] = t.shape;
  if (!Number.isInteger(groups) || groups < 1 || out % groups !== 0) {
    throw new Error(`dirac_: dim 0 (${out}) must be divisible by groups (${groups})`);
  }
  const perGroup = out / groups;
  const spatial = t.shape.slice(2);
  const plane = spatial.reduce((x, y) => x * y, 1);
  let center = 0;
  for (const d of spatial) center = center * d + Math.floor(d / 2);
  const v = new Float64Array(t.numel());
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(perGroup, inC); d++) v[((g * perGroup + d) * inC + d) * plane + center] = 1;
  }
  return assign(t, v);
}

/**
 * Fills the 2-D `t` from N(0, std²) and zeroes `ceil(sparsity · rows)` random entries of each
 * column (PyTorch's `sparse_`).
 */
export function sparse_(
  t: Tensor,
  sparsity: number,
  std = 0.01,
  generator: Generator = defaultGenerator,
): Tensor {
  if (t.ndim !== 2) throw new Error(`sparse_: only 2-D tensors are supported, got ${fmtShape(t.shape)}`);
  if (!(sparsity >= 0 && sparsity <= 1))
    throw new Error(`sparse_: sparsity must be in [0, 1], got ${sparsity}`);
  const [rows, cols] = t.shape;
  const v = new Float64Array(rows * cols);
  for (let i = 0; i < v.length; i++) v[i] = std * generator.normal();
  const zeros = Math.ceil(sparsity * rows);
  for (let c = 0; c < cols; c++) {
    const perm = generator.permutation(rows);
    for (let k = 0; k < zeros; k++) v[perm[k] * cols + c] = 0;
  }
  return assign(t, v);
}
