import type { Helper } from '../lang.js';

/** A float helper written out in both languages (GLSL native function and JS for the CPU fallback). */
function fhelper(name: string, glsl: string, js: string): Helper {
  return { name, glsl, js };
}

/** 1 when `v` is NaN, else 0 (`v != v`: compilers fold the longer comparison chains wrongly). */
export const isnanf = fhelper(
  'isnanf',
  'float isnanf(float v) { return (v != v) ? 1.0 : 0.0; }',
  'function isnanf(v) { return (v < 0 || v > 0 || v === 0) ? 0 : 1; }',
);

/** Rounds half to even, like torch.round. */
export const roundEven = fhelper(
  'roundEven',
  'float roundEven(float v) { float r = floor(v + 0.5); return (r - v == 0.5 && mod(r, 2.0) != 0.0) ? r - 1.0 : r; }',
  'function roundEven(v) { var r = Math.floor(v + 0.5); return (r - v === 0.5 && r % 2 !== 0) ? r - 1 : r; }',
);

/** tanh from exp(-2|x|) (no tanh in GLSL ES 1.00), with a series near 0 against cancellation. */
export const tanhf = fhelper(
  'tanhf',
  `float tanhf(float x) {
  float a = abs(x);
  if (a < 0.005) return x - x * x * x / 3.0;
  float e = exp(-2.0 * a);
  float t = (1.0 - e) / (1.0 + e);
  return x < 0.0 ? -t : t;
}`,
  `function tanhf(x) {
  var a = Math.abs(x);
  if (a < 0.005) return x - x * x * x / 3;
  var e = Math.exp(-2 * a);
  var t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}`,
);

/** erf: Maclaurin series below 0.5, Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7) above. */
export const erff = fhelper(
  'erff',
  `float erff(float x) {
  float a = abs(x);
  if (a < 0.5) {
    float x2 = x * x;
    return 1.1283791670955126 * x * (1.0 - x2 / 3.0 + x2 * x2 / 10.0 - x2 * x2 * x2 / 42.0 + x2 * x2 * x2 * x2 / 216.0);
  }
  float t = 1.0 / (1.0 + 0.3275911 * a);
  float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return x < 0.0 ? -y : y;
}`,
  `function erff(x) {
  var a = Math.abs(x);
  if (a < 0.5) {
    var x2 = x * x;
    return 1.1283791670955126 * x * (1 - x2 / 3 + x2 * x2 / 10 - x2 * x2 * x2 / 42 + x2 * x2 * x2 * x2 / 216);
  }
  var t = 1 / (1 + 0.3275911 * a);
  var y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return x < 0 ? -y : y;
}`,
);

/**
 * a^b with C's (PyTorch's) rules where GLSL's pow is undefined: pow(1, y) = pow(x, 0) = 1 and
 * pow(-1, ±inf) = 1 even for NaN, a NaN exponent otherwise gives NaN, negative bases with
 * integral exponents, zero bases; small integral exponents multiply exactly.
 */
export const powf = fhelper(
  'powf',
  `float powf(float a, float b) {
  if (b == 0.0 || a == 1.0) return 1.0;
  if (a == -1.0 && abs(b) > 3.0e38) return 1.0;
  if (b != b) return b;
  if (a != a) return a;
  if (b == 1.0) return a;
  if (b == 2.0) return a * a;
  if (b == 3.0) return a * a * a;
  if (b == 0.5) return sqrt(a);
  if (a == 0.0) {
    // C: ±0 to an odd integer power keeps the sign (±0 or ±inf), any other power gives +0 / +inf
    bool odd = floor(b) == b && mod(b, 2.0) == 1.0;
    if (b > 0.0) return odd ? a : 0.0;
    return odd ? 1.0 / a : 1.0 / abs(a);
  }
  if (a < 0.0) {
    if (floor(b) != b) return (a - a) / (a - a);
    float r = pow(-a, b);
    return mod(b, 2.0) == 1.0 ? -r : r;
  }
  return pow(a, b);
}`,
  `function powf(a, b) { return a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b); }`,
);

/**
 * Integer a^b, exact for float-held integers: square-and-multiply (float pow goes through
 * exp2/log2 and misses by one, (-3)^13 = -1594324). A negative exponent follows PyTorch's
 * integer pow: 1 for 1, ±1 for -1, 0 otherwise. 32 rounds cover every int32 exponent; results
 * past 2^24 are refused afterwards by the int32 range check.
 */
export const ipowf = fhelper(
  'ipowf',
  `float ipowf(float a, float b) {
  if (b < 0.0) return abs(a) == 1.0 ? (mod(-b, 2.0) == 1.0 ? a : 1.0) : 0.0;
  float r = 1.0;
  float base = a;
  float e = b;
  for (int i = 0; i < 32; i++) {
    if (e < 1.0) break;
    if (mod(e, 2.0) >= 1.0) r *= base;
    base *= base;
    e = floor(e / 2.0);
  }
  return r;
}`,
  `function ipowf(a, b) {
  if (b < 0) return Math.abs(a) === 1 ? ((-b) % 2 === 1 ? a : 1) : 0;
  var r = 1;
  var base = a;
  var e = b;
  for (var i = 0; i < 32; i++) {
    if (e < 1) break;
    if (e % 2 >= 1) r *= base;
    base *= base;
    e = Math.floor(e / 2);
  }
  return r;
}`,
);

/** Integer division truncating toward zero, exact for float-held integers (|a|, |b| < 2^24). */
export const idivf = fhelper(
  'idivf',
  `float idivf(float a, float b) {
  float q = a / b;
  q = q < 0.0 ? ceil(q) : floor(q);
  float r = a - q * b;
  float s = ((a < 0.0) != (b < 0.0)) ? -1.0 : 1.0;
  if (r != 0.0 && ((r < 0.0) != (a < 0.0))) q -= s;
  else if (abs(r) >= abs(b)) q += s;
  return q;
}`,
  `function idivf(a, b) { var q = a / b; return q < 0 ? Math.ceil(q) : Math.floor(q); }`,
);

/** log(1 + x), by its series below 0.01 where log(1.0 + x) would round x away. */
export const log1pf = fhelper(
  'log1pf',
  'float log1pf(float x) { return abs(x) < 0.01 ? x - x * x / 2.0 + x * x * x / 3.0 - x * x * x * x / 4.0 : log(1.0 + x); }',
  'function log1pf(x) { return Math.abs(x) < 0.01 ? x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4 : Math.log(1 + x); }',
);

/**
 * The two parts of softmax's denominator Σ exp(d) over d = x - max: the terms at the max
 * (`etie`: exp(0) = 1 each, or NaN when the max is +Infinity) and the rest (`erest`, each < 1).
 * Kept apart, log Σ = log(ties) + log1p(rest / ties) keeps its precision when the rest is
 * tiny, where log(1 + rest) in float32 loses it (cross-entropy of a confident prediction).
 */
export const etie = fhelper(
  'etie',
  'float etie(float d) { return d == 0.0 ? exp(d) : 0.0; }',
  'function etie(d) { return d === 0 ? Math.exp(d) : 0; }',
);
export const erest = fhelper(
  'erest',
  'float erest(float d) { return d == 0.0 ? 0.0 : exp(d); }',
  'function erest(d) { return d === 0 ? 0 : Math.exp(d); }',
);
