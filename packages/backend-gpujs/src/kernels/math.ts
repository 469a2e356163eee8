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
 * a^b with PyTorch's rules where GLSL's pow is undefined: negative bases with integral
 * exponents, zero bases; small integral exponents multiply exactly.
 */
export const powf = fhelper(
  'powf',
  `float powf(float a, float b) {
  if (b == 0.0) return 1.0;
  if (b == 1.0) return a;
  if (b == 2.0) return a * a;
  if (b == 3.0) return a * a * a;
  if (b == 0.5) return sqrt(a);
  if (a == 0.0) return b > 0.0 ? 0.0 : 1.0 / a;
  if (a < 0.0) {
    if (floor(b) != b) return (a - a) / (a - a);
    float r = pow(-a, b);
    return mod(b, 2.0) == 1.0 ? -r : r;
  }
  return pow(a, b);
}`,
  `function powf(a, b) { return Math.pow(a, b); }`,
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
