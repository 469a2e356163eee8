// WGSL float32 functions with the CPU backend's (and C's / PyTorch's) semantics where the WGSL
// builtins give no guarantee: WGSL lets compilers assume finite math, many GPUs flush subnormals
// to zero, `pow` is undefined for negative bases, `exp`/`tanh` may overflow into NaN, `sin` loses
// accuracy away from 0, and the builtins' error bounds (a few ULP, or 2^-21 absolute for `log`
// near 1) vary by vendor. So special values are decided on the bits, ordering compares integer
// keys, and the transcendental functions reduce their argument exactly and evaluate polynomials:
// within a few ULP on every adapter (measured on SwiftShader against float64 over the whole float
// range: ≤ 2 ULP for exp/expm1/log/log1p/sin/cos/tanh/sigmoid, ≤ 4 for erf; pow ≤ 2^-24·|b·log2 a|
// relative), using only sqrt, inverseSqrt, division and floor/round from the vendor.
//
// `wgslMath(names)` returns the named functions and everything they call, in dependency order.

/** One WGSL function (or a few tightly coupled ones) and the library entries it calls. */
interface WgslFn {
  readonly deps: readonly string[];
  readonly code: string;
}

// The 12-significant-bit pieces of π/2 (C1 + … + C5 = π/2 within 2^-68): a product of one with
// an integer of ≤ 12 significant bits is exact, which makes the Cody–Waite reduction exact.
const HALF_PI = [
  '1.5703125',
  '0.0004837512969970703',
  '7.549533620476723e-08',
  '2.5632829192545614e-12',
  '6.123031769111886e-17',
];

const LIB: Record<string, WgslFn> = {
  /** Bit-level predicates; `is_nan`/`is_inf`/`f32_nan`/`f32_inf` come with every module. */
  bits: {
    deps: [],
    code: `
fn sign_bit(x: f32) -> bool { return (bitcast<u32>(x) >> 31u) == 1u; }
fn is_zero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }
fn is_sub(x: f32) -> bool { let b = bitcast<u32>(x) & 0x7fffffffu; return b != 0u && b < 0x00800000u; }
fn neg_f(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }
fn abs_f(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }
// |v| with the sign of s
fn copy_sign(v: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(v) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}
// the top 12 significant bits of x (x - hi12(x) is exact and has at most 12 more)
fn hi12(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0xfffff000u); }`,
  },
  /** Total order key of a non-NaN float: ±0 equal, subnormals ordered even where the GPU flushes them. */
  key: {
    deps: [],
    code: `
fn key_f(x: f32) -> i32 { let b = bitcast<i32>(x); return select(b, -(b & 0x7fffffff), b < 0); }`,
  },
  /** x · 2^n for |n| ≤ 378 through exact power-of-two factors (ldexp is undefined on overflow). */
  scale2: {
    deps: [],
    code: `
fn pow2i(n: i32) -> f32 { return bitcast<f32>(u32(n + 127) << 23u); }
fn scale2(x: f32, n: i32) -> f32 {
  var r = x;
  var k = n;
  for (var s = 0; s < 3; s++) {
    let step = clamp(k, -126, 127);
    r = r * pow2i(step);
    k -= step;
  }
  return r;
}`,
  },
  /** e^r for |r| ≤ 0.35 (Taylor to r^9: truncation below 1e-11). */
  exp_poly: {
    deps: [],
    code: `
fn exp_poly(r: f32) -> f32 {
  return 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0
    + r * (1.0 / 5040.0 + r * (1.0 / 40320.0 + r * (1.0 / 362880.0)))))))));
}`,
  },
  exp: {
    deps: ['scale2', 'exp_poly'],
    code: `
// e^x = 2^k · e^r, r = x - k·ln2 with ln2 in two pieces (k·LN2_HI is exact).
fn exp_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 88.72283935546875) { return f32_inf(false); }
  if (x < -103.98) { return 0.0; }
  let k = round(x * 1.4426950408889634);
  let r = (x - k * 0.693145751953125) - k * 1.428606765330187e-06;
  return scale2(exp_poly(r), i32(k));
}`,
  },
  expm1: {
    deps: ['exp'],
    code: `
// Taylor near 0 (no cancellation), e^x - 1 beyond (where it has none to speak of).
fn expm1_f(x: f32) -> f32 {
  if (is_nan(x) || (bitcast<u32>(x) & 0x7fffffffu) == 0u) { return x; }
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
      + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0 + x * (1.0 / 3628800.0))))))))));
  }
  if (x < -17.5) { return -1.0; }
  return exp_f(x) - 1.0;
}`,
  },
  /** frexp on the bits: x = m · 2^e with m in [√½, √2), for finite x > 0, subnormals included. */
  frexp: {
    deps: [],
    code: `
fn frexp_f(x: f32) -> vec2<f32> {
  var b = bitcast<u32>(x) & 0x7fffffffu;
  var e = -127;
  if (b < 0x00800000u) {
    // subnormal: x = b · 2^-149, and f32(b) is exact and normal
    b = bitcast<u32>(f32(b));
    e -= 149;
  }
  e += i32(b >> 23u);
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  return vec2<f32>(m, f32(e));
}`,
  },
  /**
   * 2·atanh(s) = log((1+s)/(1-s)) for |s| ≤ 0.172 (the series to s^13: truncation below 1e-11);
   * `log_tail` is the part after the leading 2s.
   */
  log_series: {
    deps: [],
    code: `
fn log_tail(s: f32) -> f32 {
  let z = s * s;
  return 2.0 * s * z * (1.0 / 3.0 + z * (1.0 / 5.0 + z * (1.0 / 7.0 + z * (1.0 / 9.0 + z * (1.0 / 11.0 + z * (1.0 / 13.0))))));
}
fn log_series(s: f32) -> f32 { return 2.0 * s + log_tail(s); }`,
  },
  log: {
    deps: ['frexp', 'log_series'],
    code: `
fn log_f(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) == 0u) { return f32_inf(true); }
  if (is_nan(x) || b > 0x80000000u) { return f32_nan(); }
  if (b == 0x7f800000u) { return x; }
  let me = frexp_f(x);
  let m = me.x;
  let e = me.y;
  // e·LN2_HI is exact; m - 1 is exact in [√½, √2)
  return e * 0.693145751953125 + (e * 1.428606765330187e-06 + log_series((m - 1.0) / (m + 1.0)));
}`,
  },
  log1p: {
    deps: ['log', 'log_series'],
    code: `
// log1p(x) = 2·atanh(x / (2 + x)) while 1 + x is in [√½, √2) (no cancellation near 0); beyond,
// rounding 1 + x costs at most 2^-24 relative against a log of at least 0.34.
fn log1p_f(x: f32) -> f32 {
  if (is_nan(x) || (bitcast<u32>(x) & 0x7fffffffu) == 0u) { return x; }
  if (x > -0.2928932 && x < 0.41421356) { return log_series(x / (2.0 + x)); }
  if (x == -1.0) { return f32_inf(true); }
  if (x < -1.0) { return f32_nan(); }
  return log_f(1.0 + x);
}`,
  },
  sqrt: {
    deps: [],
    code: `
fn sqrt_f(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if (is_nan(x) || (b & 0x7fffffffu) == 0u || b == 0x7f800000u) { return x; }
  if (b > 0x80000000u) { return f32_nan(); }
  // subnormal: sqrt(b · 2^-149) = sqrt(2b) · 2^-75 (2b normal: no flush to zero)
  if (b < 0x00800000u) { return sqrt(2.0 * f32(b)) * 2.6469779601696886e-23; }
  return sqrt(x);
}`,
  },
  rsqrt: {
    deps: [],
    code: `
fn rsqrt_f(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if (is_nan(x)) { return x; }
  if ((b & 0x7fffffffu) == 0u) { return f32_inf(b != 0u); }
  if (b > 0x80000000u) { return f32_nan(); }
  if (b == 0x7f800000u) { return 0.0; }
  if (b < 0x00800000u) { return inverseSqrt(2.0 * f32(b)) * 3.777893186295716e22; }
  return inverseSqrt(x);
}`,
  },
  /** x · 2^24 exactly for a subnormal x (read off its bits: no flush to zero), x · 2^24 otherwise. */
  times2p24: {
    deps: ['bits'],
    code: `
fn times2p24(x: f32) -> f32 {
  let b = bitcast<u32>(x) & 0x7fffffffu;
  if (b < 0x00800000u) { return copy_sign(f32(b) * 2.350988701644575e-38, x); }
  return x * 16777216.0;
}`,
  },
  div: {
    deps: ['bits', 'times2p24'],
    code: `
// IEEE division whatever the GPU does at the edges: x/±0, ∞/∞, subnormal operands (flushed to zero
// by many GPUs), and divisors past 2^126 (whose reciprocal some compute as 0).
fn div_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  let neg = sign_bit(a) != sign_bit(b);
  if (is_zero(b)) {
    if (is_zero(a)) { return f32_nan(); }
    return f32_inf(neg);
  }
  if (is_inf(b)) {
    if (is_inf(a)) { return f32_nan(); }
    return bitcast<f32>(select(0u, 0x80000000u, neg));
  }
  if (is_inf(a)) { return f32_inf(neg); }
  if (is_sub(a) || is_sub(b)) { return times2p24(a) / times2p24(b); }
  if (abs(b) > 8.507059173023462e37) { return (a * 0.25) / (b * 0.25); }
  return a / b;
}`,
  },
  /** Payne–Hanek reduction for large arguments: x·2/π mod 4 on the bits of 2/π, in integers. */
  reduce_big: {
    deps: [],
    code: `
// 2/π to 256 bits (t_1 … t_256: the MSB of word 0 is the first bit after the point)
var<private> TWO_OVER_PI: array<u32, 8> = array<u32, 8>(0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u,
  0xdb629599u, 0x3c439041u, 0xfe5163abu, 0xdebbc561u);
// the 64-bit product a·b as (low word, high word), from 16-bit halves
fn mul_wide(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let mid = lh + ah * bl;
  let lo = ll + (mid << 16u);
  let hi = ah * bh + (mid >> 16u) + select(0u, 0x10000u, mid < lh) + select(0u, 1u, lo < ll);
  return vec2<u32>(lo, hi);
}
// |x| = M·2^E (M of 24 bits): x·2/π mod 4 needs only the bits t_j of 2/π with j ≥ E - 1 (the
// others give multiples of 4). M times a 96-bit window of them is exact in four words; its bits
// above the point S are the quadrant, the 64 below it the fraction (exact to about 2^-70).
// Returns (r, q): x = r + q·π/2 (mod 2π), |r| ≤ π/4. For |x| ≥ 2^19.
fn reduce_big(x: f32) -> vec2<f32> {
  let b = bitcast<u32>(x) & 0x7fffffffu;
  let m = (b & 0x007fffffu) | 0x00800000u;
  let e = i32(b >> 23u) - 150;
  let j0 = max(1, e - 1);
  let o = u32(j0 - 1);
  let wi = o / 32u;
  let sh = o % 32u;
  var w: array<u32, 3>;
  for (var n = 0u; n < 3u; n++) {
    let a = TWO_OVER_PI[wi + n];
    // a shift by 32 is taken mod 32 in WGSL: the select discards that case
    w[n] = select((a << sh) | (TWO_OVER_PI[wi + n + 1u] >> (32u - sh)), a, sh == 0u);
  }
  let p2 = mul_wide(m, w[2]);
  let p1 = mul_wide(m, w[1]);
  let p0 = mul_wide(m, w[0]);
  var p: array<u32, 5>;
  p[0] = p2.x;
  p[1] = p2.y + p1.x;
  let c1 = select(0u, 1u, p[1] < p2.y);
  let s2 = p1.y + p0.x;
  p[2] = s2 + c1;
  p[3] = p0.y + select(0u, 1u, s2 < p1.y) + select(0u, 1u, p[2] < s2);
  p[4] = 0u;
  // the point sits at bit S of the product
  let point = u32(95 + j0 - e);
  var q = bits_at(p, point) & 3u;
  var fh = bits_at(p, point - 32u);
  var fl = bits_at(p, point - 64u);
  // a fraction of 1/2 or more rounds up to the next quadrant, leaving r = -(1 - f)·π/2
  let up = (fh >> 31u) == 1u;
  if (up) {
    fl = ~fl + 1u;
    fh = ~fh + select(0u, 1u, fl == 0u);
    q = (q + 1u) & 3u;
  }
  var mag: f32;
  if (fh == 0u) {
    mag = f32(fl) * 5.421010862427522e-20;
  } else {
    let lz = countLeadingZeros(fh);
    let top = select((fh << lz) | (fl >> (32u - lz)), fh, lz == 0u);
    mag = f32(top) * bitcast<f32>((95u - lz) << 23u);
  }
  var r = select(mag, -mag, up) * 1.5707963267948966;
  if (x < 0.0) {
    r = -r;
    q = (4u - q) & 3u;
  }
  return vec2<f32>(r, f32(q));
}
fn bits_at(p: array<u32, 5>, pos: u32) -> u32 {
  let i = pos / 32u;
  let s = pos % 32u;
  return select((p[i] >> s) | (p[i + 1u] << (32u - s)), p[i], s == 0u);
}`,
  },
  mul: {
    deps: ['bits', 'times2p24'],
    code: `
// a·b with subnormal operands read off their bits (GPUs that flush them give ∞·1e-40 = NaN):
// each is scaled by 2^24 (exact), the product by 2^-24 per scaled operand.
fn mul_f(a: f32, b: f32) -> f32 {
  if (!is_sub(a) && !is_sub(b)) { return a * b; }
  let sa = is_sub(a);
  let sb = is_sub(b);
  let p = select(a, times2p24(a), sa) * select(b, times2p24(b), sb);
  if (sa && sb) { return copy_sign(0.0, p); }
  return p * 5.960464477539063e-08;
}`,
  },
  sincos: {
    deps: ['bits', 'reduce_big'],
    code: `
// x = r + q·π/2 with |r| ≤ π/4 for |x| < 2^19: Cody–Waite with π/2 in five 12-bit pieces and k
// split into two 12-bit halves, so every product is exact; a second pass fixes a k that x·2/π
// rounded to the wrong integer. q is k mod 4.
fn reduce_half_pi(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  let kh = hi12(k);
  let kl = k - kh;
  var r = x - kh * ${HALF_PI[0]};
  r = r - kl * ${HALF_PI[0]};
  r = r - kh * ${HALF_PI[1]};
  r = r - kl * ${HALF_PI[1]};
  r = r - kh * ${HALF_PI[2]};
  r = r - kl * ${HALF_PI[2]};
  r = r - k * ${HALF_PI[3]};
  r = r - k * ${HALF_PI[4]};
  let k2 = round(r * 0.6366197723675814);
  r = ((r - k2 * ${HALF_PI[0]}) - k2 * ${HALF_PI[1]}) - k2 * ${HALF_PI[2]};
  let q = k - 4.0 * floor(k * 0.25) + k2;
  return vec2<f32>(r, q - 4.0 * floor(q * 0.25));
}
fn reduce_any(x: f32) -> vec2<f32> {
  if (abs_f(x) < 524288.0) { return reduce_half_pi(x); }
  return reduce_big(x);
}
// Cephes' sinf/cosf polynomials on [-π/4, π/4]
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
fn sin_f(x: f32) -> f32 {
  if (is_nan(x) || is_zero(x)) { return x; }
  if (is_inf(x)) { return f32_nan(); }
  let rq = reduce_any(x);
  let q = u32(rq.y);
  let v = select(sin_poly(rq.x), cos_poly(rq.x), (q & 1u) == 1u);
  return select(v, neg_f(v), q >= 2u);
}
fn cos_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (is_inf(x)) { return f32_nan(); }
  let rq = reduce_any(x);
  let q = u32(rq.y);
  let v = select(cos_poly(rq.x), sin_poly(rq.x), (q & 1u) == 1u);
  return select(v, neg_f(v), q == 1u || q == 2u);
}`,
  },
  tanh: {
    deps: ['bits', 'expm1'],
    code: `
// tanh|x| = e / (e + 2) with e = expm1(2|x|): accurate near 0, and ±1 (never ∞/∞ = NaN) past 9.1.
fn tanh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs_f(x);
  if (ax > 9.1) { return copy_sign(1.0, x); }
  let e = expm1_f(2.0 * ax);
  return copy_sign(e / (e + 2.0), x);
}`,
  },
  sigmoid: {
    deps: ['exp'],
    code: `
// exp of -|x| only: never ∞/∞
fn sigmoid_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp_f(-x)); }
  let e = exp_f(x);
  return e / (1.0 + e);
}`,
  },
  erf: {
    deps: ['bits', 'exp'],
    code: `
// Below 1.5 the all-positive series 2/√π · e^(-x²) · Σ 2^n x^(2n+1) / (2n+1)!!; from 1.5 to 4,
// 1 - erfc with erfc by its continued fraction (20 terms); ±1 beyond (erfc(4) < 2^-25).
// Absolute error below 5e-7 (float32 simulation against float64 over [-4.5, 4.5]).
fn erf_f(x: f32) -> f32 {
  if (is_nan(x) || is_zero(x)) { return x; }
  let ax = abs_f(x);
  if (ax >= 4.0) { return copy_sign(1.0, x); }
  let x2 = ax * ax;
  if (ax < 1.5) {
    var term = ax;
    var sum = ax;
    for (var n = 1; n <= 16; n++) {
      term *= 2.0 * x2 / f32(2 * n + 1);
      sum += term;
    }
    return copy_sign(1.1283791670955126 * exp_f(-x2) * sum, x);
  }
  var f = ax;
  for (var k = 20; k >= 1; k--) { f = ax + 0.5 * f32(k) / f; }
  return copy_sign(1.0 - 0.5641895835477563 * exp_f(-x2) / f, x);
}`,
  },
  rounding: {
    deps: ['bits'],
    code: `
// floor/ceil/round keep x's sign on a zero result (as C and PyTorch do), decide subnormals on the
// bits, and leave |x| ≥ 2^23 (already integral), ±∞ and NaN unchanged.
fn floor_f(x: f32) -> f32 {
  if (is_nan(x) || abs_f(x) >= 8388608.0) { return x; }
  if (is_sub(x)) { return select(0.0, -1.0, sign_bit(x)); }
  return copy_sign(floor(x), x);
}
fn ceil_f(x: f32) -> f32 {
  if (is_nan(x) || abs_f(x) >= 8388608.0) { return x; }
  if (is_sub(x)) { return copy_sign(select(1.0, 0.0, sign_bit(x)), x); }
  return copy_sign(ceil(x), x);
}
// half to even, written out: f = floor(x) and x - f are exact below 2^23
fn round_f(x: f32) -> f32 {
  if (is_nan(x) || abs_f(x) >= 8388608.0) { return x; }
  if (is_sub(x)) { return copy_sign(0.0, x); }
  let f = floor(x);
  let d = x - f;
  let odd = f * 0.5 != floor(f * 0.5);
  return copy_sign(select(f, f + 1.0, d > 0.5 || (d == 0.5 && odd)), x);
}`,
  },
  sign: {
    deps: ['bits'],
    code: `
// NaN and ±0 unchanged, ±1 otherwise (subnormals included)
fn sign_f(x: f32) -> f32 {
  if (is_nan(x) || is_zero(x)) { return x; }
  return copy_sign(1.0, x);
}`,
  },
  relu: {
    deps: ['key'],
    code: `
// x < 0 ? +0 : x — NaN and -0 pass through (as torch.relu and the CPU backend)
fn relu_f(x: f32) -> f32 {
  if (is_nan(x) || key_f(x) >= 0) { return x; }
  return 0.0;
}`,
  },
  extrema: {
    deps: ['key'],
    code: `
// NaN propagates; max(-0, +0) = +0 and min(-0, +0) = -0 in either order (as Math.max/min)
fn max_f(a: f32, b: f32) -> f32 {
  if (is_nan(a)) { return a; }
  if (is_nan(b)) { return b; }
  let ka = key_f(a);
  let kb = key_f(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, ka > kb);
}
fn min_f(a: f32, b: f32) -> f32 {
  if (is_nan(a)) { return a; }
  if (is_nan(b)) { return b; }
  let ka = key_f(a);
  let kb = key_f(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, ka < kb);
}`,
  },
  pow: {
    deps: ['bits', 'div', 'frexp', 'log_series', 'scale2', 'exp_poly'],
    code: `
// a^n for a ≥ 0 and an integer n ≥ 1 by squaring (exact when the result is, e.g. 3^2 = 9)
fn powi_f(a: f32, n: u32) -> f32 {
  var r = 1.0;
  var p = a;
  var k = n;
  loop {
    if ((k & 1u) == 1u) { r *= p; }
    k = k >> 1u;
    if (k == 0u) { break; }
    p *= p;
  }
  return r;
}
// a^b = e^(b·ln a) for finite a > 0 (subnormal too) and finite b ≠ 0, reduced to 2^n · e^r with
// |r| ≤ ln2/2. With a = m·2^e and ln m = hi + lo (hi = 2·hi12(s), s = (m-1)/(m+1)), the large
// parts of the exponent are products of 12-bit pieces (exact) and each gives its integer part to n
// before anything is rounded, so r is accurate to a few ULP of ln2 whatever |b·ln a| is: the
// result's relative error stays near 2^-24·|b·log2 a| from rounding s (≤ 3e-6 for any finite
// result), where a plain exp2(b·log2(a)) loses several ULP of the whole exponent.
fn pow_pos(a: f32, b: f32) -> f32 {
  let me = frexp_f(a);
  let m = me.x;
  let e = me.y;
  let s = (m - 1.0) / (m + 1.0);
  let sh = hi12(s);
  let hi = 2.0 * sh;
  let lo = 2.0 * (s - sh) + log_tail(s);
  let bh = hi12(b);
  let bl = b - bh;
  // b·e in log2 units, b·ln m in natural units
  let e1 = bh * e;
  let e2 = bl * e;
  let q1 = bh * hi;
  let q2 = bl * hi;
  let q3 = b * lo;
  let q = q1 + q2 + q3;
  let approx = e1 + e2 + q * 1.4426950408889634;
  if (approx > 129.0) { return f32_inf(false); }
  if (approx < -151.0) { return 0.0; }
  let n1 = round(e1);
  let w = (e1 - n1) + e2;
  let n2 = round(w);
  let n3 = round(q * 1.4426950408889634);
  var r = (w - n2) * 0.6931471805599453
    + ((((q1 - n3 * 0.693145751953125) + q2) + q3) - n3 * 1.428606765330187e-06);
  let n4 = round(r * 1.4426950408889634);
  r = (r - n4 * 0.693145751953125) - n4 * 1.428606765330187e-06;
  return scale2(exp_poly(r), i32(n1 + n2 + n3 + n4));
}
// C's pow (which PyTorch and the CPU backend compute): pow(x, ±0) = 1 and pow(1, y) = 1 even for
// NaN; pow(-1, ±∞) = 1; a negative base with an integer exponent is real (odd: negative); a
// finite negative base with a non-integer exponent is NaN; ±0 and ±∞ bases by the exponent's sign
// and parity.
fn pow_f(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  if (is_zero(b) || ua == 0x3f800000u) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  let aa = abs_f(a);
  let ab = abs_f(b);
  if (is_inf(b)) {
    if (aa == 1.0) { return 1.0; }
    return select(0.0, f32_inf(false), (aa > 1.0) == (b > 0.0));
  }
  let b_int = !is_sub(b) && (ab >= 8388608.0 || floor(b) == b);
  let b_odd = b_int && ab < 16777216.0 && b * 0.5 != floor(b * 0.5);
  let neg = sign_bit(a);
  if (neg && !b_int && !is_zero(a) && !is_inf(a)) { return f32_nan(); }
  var mag: f32;
  if (is_zero(a)) {
    mag = select(0.0, f32_inf(false), sign_bit(b));
  } else if (is_inf(a)) {
    mag = select(f32_inf(false), 0.0, sign_bit(b));
  } else if (b_int && ab <= 32.0) {
    let p = powi_f(aa, u32(ab));
    mag = select(p, div_f(1.0, p), sign_bit(b));
  } else {
    mag = pow_pos(aa, b);
  }
  return select(mag, neg_f(mag), neg && b_odd);
}`,
  },
  /** Reports a failure code to the status word (only in kernels bound with `fails`). */
  fail: {
    deps: [],
    code: `
fn fail(code: u32) { atomicMax(&status[0], code); }`,
  },
};

/** Names of the library's entries (for tests and for error messages). */
export const WGSL_MATH_NAMES: readonly string[] = Object.keys(LIB);

/** The WGSL source of the named library entries and of everything they depend on, each once. */
export function wgslMath(names: readonly string[]): string {
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    const fn = LIB[name];
    if (!fn)
      throw new Error(`webgpu: no WGSL library function '${name}' (have: ${WGSL_MATH_NAMES.join(', ')})`);
    done.add(name);
    for (const d of fn.deps) visit(d);
    out.push(fn.code);
  };
  for (const n of names) visit(n);
  return out.join('\n');
}
