// The scalar function of every elementwise op, per dtype family, as WGSL `fn op(...)`.
//
// Families: float32 → f32; int32 and int64 → i32 (int64 is computed in 32 bits: a result beyond
// int32 is an error, never a wrap); uint8 → u32 in [0, 255]; bool → u32 in {0, 1}. Integer
// results that leave the dtype are reported with `fail(STATUS.range)`, integer division by zero
// with `fail(STATUS.divByZero)` (the kernel goes on; the next read throws).
import type { BinaryOp, DType, UnaryOp } from '@proj/core';
import { STATUS } from '../errors.js';
import type { WgslScalar } from '../storage.js';
import { wgslMath } from './f32-math.js';

/** How an elementwise kernel computes on a dtype: its storage type and integer rules. */
export type Family = 'f32' | 'i32' | 'u8' | 'bool';

/** The family of a stored dtype (float64/float16/bfloat16 never reach this backend's kernels). */
export function familyOf(dtype: DType): Family {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
    case 'int64':
      return 'i32';
    case 'uint8':
      return 'u8';
    case 'bool':
      return 'bool';
    default:
      throw new Error(
        `webgpu: elementwise ops do not take ${dtype} tensors (this backend stores float32, int32, int64, uint8 and bool)`,
      );
  }
}

/** WGSL storage type of a family. */
export function wgslOf(f: Family): WgslScalar {
  return f === 'f32' ? 'f32' : f === 'i32' ? 'i32' : 'u32';
}

/** A scalar op ready for a kernel: the WGSL defining `op`, its result type, whether it can fail. */
export interface ScalarOp {
  /** WGSL source: library functions, then `fn op(a: T[, b: T]) -> out`. */
  readonly code: string;
  /** The WGSL type `op` returns (u32 for bool results). */
  readonly out: WgslScalar;
  /** Whether `op` reports failures (the kernel then binds the status word). */
  readonly fails: boolean;
}

/** One op's definition: the body of `fn op`, the library functions it calls, whether it fails. */
interface Def {
  readonly body: string;
  readonly lib?: readonly string[];
  readonly fails?: boolean;
  /** The result is bool (u32 0/1) instead of the operand type. */
  readonly bool?: boolean;
}

const R = STATUS.range;
const Z = STATUS.divByZero;
const I32_MIN = 'bitcast<i32>(0x80000000u)';

const f = (name: string, lib: string): Def => ({ body: `return ${name}(a);`, lib: [lib] });

const F32_UNARY: Record<UnaryOp, Def> = {
  neg: { body: 'return neg_f(a);', lib: ['bits'] },
  abs: { body: 'return abs_f(a);', lib: ['bits'] },
  sign: f('sign_f', 'sign'),
  exp: f('exp_f', 'exp'),
  expm1: f('expm1_f', 'expm1'),
  log: f('log_f', 'log'),
  log1p: f('log1p_f', 'log1p'),
  sqrt: f('sqrt_f', 'sqrt'),
  rsqrt: f('rsqrt_f', 'rsqrt'),
  reciprocal: { body: 'return div_f(1.0, a);', lib: ['div'] },
  sin: f('sin_f', 'sincos'),
  cos: f('cos_f', 'sincos'),
  tanh: f('tanh_f', 'tanh'),
  sigmoid: f('sigmoid_f', 'sigmoid'),
  relu: f('relu_f', 'relu'),
  erf: f('erf_f', 'erf'),
  floor: f('floor_f', 'rounding'),
  ceil: f('ceil_f', 'rounding'),
  round: f('round_f', 'rounding'),
  isnan: { body: 'return u32(is_nan(a));', bool: true },
  // nonzero is true: NaN is, -0 is not
  logicalNot: { body: 'return u32(is_zero(a));', lib: ['bits'], bool: true },
};

/** Ops exact on integers; the others compute in floating point, so core casts ints to float32 first. */
const I32_UNARY: Partial<Record<UnaryOp, Def>> = {
  neg: { body: `if (a == ${I32_MIN}) { fail(${R}u); } return -a;`, fails: true },
  abs: { body: `if (a == ${I32_MIN}) { fail(${R}u); } return abs(a);`, fails: true },
  sign: { body: 'return select(select(0, -1, a < 0), 1, a > 0);' },
  relu: { body: 'return max(a, 0);' },
  floor: { body: 'return a;' },
  ceil: { body: 'return a;' },
  round: { body: 'return a;' },
  isnan: { body: 'return 0u;', bool: true },
  logicalNot: { body: 'return u32(a == 0);', bool: true },
};

const U8_UNARY: Partial<Record<UnaryOp, Def>> = {
  // -v fits uint8 only for v = 0
  neg: { body: `if (a != 0u) { fail(${R}u); } return 0u;`, fails: true },
  abs: { body: 'return a;' },
  sign: { body: 'return min(a, 1u);' },
  relu: { body: 'return a;' },
  floor: { body: 'return a;' },
  ceil: { body: 'return a;' },
  round: { body: 'return a;' },
  isnan: { body: 'return 0u;', bool: true },
  logicalNot: { body: 'return u32(a == 0u);', bool: true },
};

// Core refuses the others for bool (neg names logicalNot; arithmetic casts to int32 first).
const BOOL_UNARY: Partial<Record<UnaryOp, Def>> = {
  abs: { body: 'return a;' },
  sign: { body: 'return a;' },
  relu: { body: 'return a;' },
  floor: { body: 'return a;' },
  ceil: { body: 'return a;' },
  round: { body: 'return a;' },
  isnan: { body: 'return 0u;', bool: true },
  logicalNot: { body: 'return 1u - a;', bool: true },
};

const cmp = (expr: string, lib: readonly string[] = []): Def => ({
  body: `return u32(${expr});`,
  lib,
  bool: true,
});
/** Float comparisons on total-order keys: exact for subnormals even where the GPU flushes them. */
const fcmp = (o: string): Def => cmp(`!is_nan(a) && !is_nan(b) && key_f(a) ${o} key_f(b)`, ['key']);

const F32_BINARY: Record<BinaryOp, Def> = {
  add: { body: 'return a + b;' },
  sub: { body: 'return a - b;' },
  mul: { body: 'return mul_f(a, b);', lib: ['mul'] },
  div: { body: 'return div_f(a, b);', lib: ['div'] },
  pow: { body: 'return pow_f(a, b);', lib: ['pow'] },
  maximum: { body: 'return max_f(a, b);', lib: ['extrema'] },
  minimum: { body: 'return min_f(a, b);', lib: ['extrema'] },
  eq: fcmp('=='),
  ne: cmp('is_nan(a) || is_nan(b) || key_f(a) != key_f(b)', ['key']),
  lt: fcmp('<'),
  le: fcmp('<='),
  gt: fcmp('>'),
  ge: fcmp('>='),
  logicalAnd: cmp('!is_zero(a) && !is_zero(b)', ['bits']),
  logicalOr: cmp('!is_zero(a) || !is_zero(b)', ['bits']),
};

/** Comparisons and logical ops of the integer families (exact as they are). */
const intCompare = (
  zero: string,
): Pick<Record<BinaryOp, Def>, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr'> => ({
  eq: cmp('a == b'),
  ne: cmp('a != b'),
  lt: cmp('a < b'),
  le: cmp('a <= b'),
  gt: cmp('a > b'),
  ge: cmp('a >= b'),
  logicalAnd: cmp(`a != ${zero} && b != ${zero}`),
  logicalOr: cmp(`a != ${zero} || b != ${zero}`),
});

/**
 * i32 arithmetic that refuses to wrap. add/sub: the result's sign against the operands'. mul: the
 * magnitudes' 64-bit product from 16-bit halves (WGSL has no 64-bit integers), which must fit
 * 2^31 - 1 (2^31 for a negative product). pow: C's integer pow (a negative exponent gives 1 for
 * 1, ±1 for -1, else 0) by squaring, with every product checked (a squaring that overflows only
 * happens when the result would).
 */
const I32_HELPERS = `
fn mul_i(a: i32, b: i32) -> i32 {
  let ua = select(bitcast<u32>(a), 0u - bitcast<u32>(a), a < 0);
  let ub = select(bitcast<u32>(b), 0u - bitcast<u32>(b), b < 0);
  let ah = ua >> 16u;
  let al = ua & 0xffffu;
  let bh = ub >> 16u;
  let bl = ub & 0xffffu;
  let mid = ah * bl + al * bh;
  let low = al * bl;
  let p = (mid << 16u) + low;
  let negative = (a < 0) != (b < 0);
  let over = (ah != 0u && bh != 0u) || mid > 0xffffu || p < low;
  if (over || p > select(0x7fffffffu, 0x80000000u, negative)) { fail(${R}u); }
  return bitcast<i32>(select(p, 0u - p, negative));
}
fn pow_i(a: i32, b: i32) -> i32 {
  let odd = (b & 1) == 1;
  if (a == 1 || b == 0) { return 1; }
  if (a == -1) { return select(1, -1, odd); }
  if (b < 0 || a == 0) { return 0; }
  var r = 1;
  var p = a;
  var k = b;
  loop {
    if ((k & 1) == 1) { r = mul_i(r, p); }
    k = k >> 1u;
    if (k == 0) { break; }
    p = mul_i(p, p);
  }
  return r;
}`;

const I32_BINARY: Record<BinaryOp, Def> = {
  add: { body: `let r = a + b; if (((a ^ r) & (b ^ r)) < 0) { fail(${R}u); } return r;`, fails: true },
  sub: { body: `let r = a - b; if (((a ^ b) & (a ^ r)) < 0) { fail(${R}u); } return r;`, fails: true },
  mul: { body: 'return mul_i(a, b);', fails: true },
  // WGSL's i32 division truncates toward zero, as PyTorch's integer div does
  div: {
    body: `if (b == 0) { fail(${Z}u); return 0; } if (a == ${I32_MIN} && b == -1) { fail(${R}u); return a; } return a / b;`,
    fails: true,
  },
  pow: { body: 'return pow_i(a, b);', fails: true },
  maximum: { body: 'return max(a, b);' },
  minimum: { body: 'return min(a, b);' },
  ...intCompare('0'),
};

const U8_BINARY: Record<BinaryOp, Def> = {
  add: { body: `let r = a + b; if (r > 255u) { fail(${R}u); } return r;`, fails: true },
  sub: { body: `if (a < b) { fail(${R}u); return 0u; } return a - b;`, fails: true },
  mul: { body: `let r = a * b; if (r > 255u) { fail(${R}u); } return r;`, fails: true },
  div: { body: `if (b == 0u) { fail(${Z}u); return 0u; } return a / b;`, fails: true },
  // a ≥ 2 passes 255 within 8 factors
  pow: {
    body: `if (b == 0u) { return 1u; } if (a <= 1u) { return a; }
  var r = 1u;
  for (var k = 0u; k < b; k++) { r *= a; if (r > 255u) { fail(${R}u); break; } }
  return r;`,
    fails: true,
  },
  maximum: { body: 'return max(a, b);' },
  minimum: { body: 'return min(a, b);' },
  ...intCompare('0u'),
};

// bool arithmetic as the CPU backend computes it (numbers stored as bytes, then != 0): + is or,
// - is xor (-1 is the byte 255), * is and, a / b is and (1/0 = ∞ and 0/0 = NaN store as the byte
// 0), a ** b is 1 where b is 0.
const BOOL_BINARY: Record<BinaryOp, Def> = {
  add: { body: 'return a | b;' },
  sub: { body: 'return a ^ b;' },
  mul: { body: 'return a & b;' },
  div: { body: 'return a & b;' },
  pow: { body: 'return select(a, 1u, b == 0u);' },
  maximum: { body: 'return max(a, b);' },
  minimum: { body: 'return min(a, b);' },
  ...intCompare('0u'),
};

const UNARY: Record<Family, Partial<Record<UnaryOp, Def>>> = {
  f32: F32_UNARY,
  i32: I32_UNARY,
  u8: U8_UNARY,
  bool: BOOL_UNARY,
};
const BINARY: Record<Family, Record<BinaryOp, Def>> = {
  f32: F32_BINARY,
  i32: I32_BINARY,
  u8: U8_BINARY,
  bool: BOOL_BINARY,
};

function build(def: Def, family: Family, arity: 1 | 2): ScalarOp {
  const t = wgslOf(family);
  const out: WgslScalar = def.bool ? 'u32' : t;
  const fails = def.fails === true;
  const lib = [...(def.lib ?? []), ...(fails ? ['fail'] : [])];
  const params = arity === 1 ? `a: ${t}` : `a: ${t}, b: ${t}`;
  const helpers = family === 'i32' && arity === 2 && fails ? I32_HELPERS : '';
  return { code: `${wgslMath(lib)}${helpers}\nfn op(${params}) -> ${out} {\n  ${def.body}\n}`, out, fails };
}

/** The scalar function of unary `op` on `dtype`; throws for a combination core never sends. */
export function unaryScalar(op: UnaryOp, dtype: DType): ScalarOp {
  const family = familyOf(dtype);
  const def = UNARY[family][op];
  if (!def) {
    const why =
      family === 'bool'
        ? 'core refuses it for bool (cast with .int() or .float())'
        : 'it computes in floating point: core casts integer inputs to float32 first';
    throw new Error(`webgpu unary: '${op}' does not take a ${dtype} tensor (${why})`);
  }
  return build(def, family, 1);
}

/** The scalar function of binary `op` on operands of `dtype`. */
export function binaryScalar(op: BinaryOp, dtype: DType): ScalarOp {
  const family = familyOf(dtype);
  const def = BINARY[family][op];
  if (!def) throw new Error(`webgpu binary: unknown op '${op as string}'`);
  return build(def, family, 2);
}
