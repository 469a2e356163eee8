// The accumulators of the reduction kernels: for each op and input dtype, the WGSL state a lane
// folds elements into, how two states combine (in any order: partial results meet in a tree),
// how a state travels between passes as u32 words, and how the final state becomes the output.
import type { DType, ReduceOp } from '@proj/core';
import { STATUS } from '../errors.js';
import { scalarOf, type WgslScalar } from '../storage.js';

/** One op's accumulator over one input scalar type. */
export interface Accumulator {
  /** Pipeline-key part naming the accumulator (op kind and input scalar). */
  readonly name: string;
  /** Words one state takes in a partial-results buffer. */
  readonly words: 1 | 2;
  /**
   * WGSL declaring the state type `S` (an alias or a struct), `fn s_id() -> S` (the identity), `fn s_load(v: T, r: u32) -> S`
   * (element `v` at flat reduced position `r`), `fn s_comb(a: S, b: S) -> S`,
   * `fn s_word(s: S, k: u32) -> u32` and `fn s_unword(w0: u32, w1: u32) -> S`.
   */
  readonly wgsl: string;
  /** Output dtype. */
  readonly outDtype: DType;
  /** The WGSL type the output buffer is bound as (u32 words where one pipeline serves several dtypes). */
  readonly outType: WgslScalar;
  /** WGSL statements that leave the output value of state `s` in `y_v`; may `atomicMax` a status code. */
  readonly finish: string;
  /** Whether `finish` can fail (integer results beyond int32). */
  readonly fails: boolean;
  /** Meta word 6: the op variant, for accumulators that serve several ops. */
  readonly flags: number;
}

/** Output dtype of `op` over `dtype`, as the CPU backend's `reduceDtype`. */
export function reduceOutDtype(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int32';
  if ((op === 'sum' || op === 'prod') && (dtype === 'int32' || dtype === 'uint8' || dtype === 'bool'))
    return 'int32';
  return dtype;
}

/** Float product: an f32 state. */
const FLOAT_PROD = `
alias S = f32;
fn s_id() -> S { return 1.0; }
fn s_load(v: f32, r: u32) -> S { return v; }
fn s_comb(a: S, b: S) -> S { return a * b; }
fn s_word(s: S, k: u32) -> u32 { return bitcast<u32>(s); }
fn s_unword(w0: u32, w1: u32) -> S { return bitcast<f32>(w0); }`;

/**
 * Float sum: f32, accurate because the passes add in a tree. WGSL lets devices flush subnormals
 * to zero (SwiftShader does), so subnormal elements are summed apart, scaled by 2^64 from their
 * bits (x: the sum of normal elements, y: 2^64 × the sum of subnormal ones).
 */
const FLOAT_SUM = `
alias S = vec2f;
fn s_id() -> S { return vec2f(0.0, 0.0); }
fn s_load(v: f32, r: u32) -> S {
  let b = bitcast<u32>(v);
  if ((b & 0x7f800000u) == 0u && (b & 0x007fffffu) != 0u) {
    let t = f32(b & 0x007fffffu) * 0x1p-85f;
    return vec2f(0.0, select(t, -t, (b & 0x80000000u) != 0u));
  }
  return vec2f(v, 0.0);
}
fn s_comb(a: S, b: S) -> S { return a + b; }
fn s_word(s: S, k: u32) -> u32 { return bitcast<u32>(s[k]); }
fn s_unword(w0: u32, w1: u32) -> S { return vec2f(bitcast<f32>(w0), bitcast<f32>(w1)); }`;

/** A subnormal total is written from its bits (a flushing device cannot compute it). */
const FLOAT_SUM_FINISH = `
  var y_v = s.x + s.y * 0x1p-64f;
  let tiny = abs(s.y);
  if (s.x == 0.0 && tiny > 0.0 && tiny < 0x1p-62f) {
    y_v = bitcast<f32>(u32(round(tiny * 0x1p85f)) | select(0u, 0x80000000u, s.y < 0.0));
  }`;

/**
 * Integer sum: an exact 64-bit two's-complement sum in (lo, hi) words, so partial sums may leave
 * int32 on the way (the CPU backend sums in float64 and narrows at the end; so does this).
 */
function intSum(t: WgslScalar): string {
  const load = t === 'i32' ? 'vec2u(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0i))' : 'vec2u(v, 0u)';
  return `
alias S = vec2u;
fn s_id() -> S { return vec2u(0u, 0u); }
fn s_load(v: ${t}, r: u32) -> S { return ${load}; }
fn s_comb(a: S, b: S) -> S {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn s_word(s: S, k: u32) -> u32 { return s[k]; }
fn s_unword(w0: u32, w1: u32) -> S { return vec2u(w0, w1); }`;
}

const INT_SUM_FINISH = `
  if (s.y != select(0u, 0xffffffffu, (s.x & 0x80000000u) != 0u)) { atomicMax(&status[0], ${STATUS.range}u); }
  let y_v = bitcast<i32>(s.x);`;

/**
 * Integer product as (magnitude, flags: bit 0 negative, bit 1 magnitude beyond 2^31). A zero
 * factor makes the product 0 whatever else overflowed (as the CPU's float64 product does), and
 * a magnitude beyond 2^31 never comes back (every other factor has magnitude ≥ 1), so the
 * order of combination does not matter. 2^31 itself is kept: times -1 it is int32's minimum.
 */
function intProd(t: WgslScalar): string {
  const load =
    t === 'i32'
      ? 'vec2u(select(bitcast<u32>(v), 0u - bitcast<u32>(v), v < 0i), select(0u, 1u, v < 0i))'
      : 'vec2u(v, 0u)';
  return `
alias S = vec2u;
fn s_id() -> S { return vec2u(1u, 0u); }
fn s_load(v: ${t}, r: u32) -> S { return ${load}; }
fn s_comb(a: S, b: S) -> S {
  if (a.x == 0u || b.x == 0u) { return vec2u(0u, 0u); }
  let sign = (a.y ^ b.y) & 1u;
  // saturated past 2^31: a wrapped product could read as a zero factor
  if (((a.y | b.y) & 2u) != 0u || b.x > 0x80000000u / a.x) { return vec2u(0xffffffffu, sign | 2u); }
  return vec2u(a.x * b.x, sign);
}
fn s_word(s: S, k: u32) -> u32 { return s[k]; }
fn s_unword(w0: u32, w1: u32) -> S { return vec2u(w0, w1); }`;
}

const INT_PROD_FINISH = `
  let neg = (s.y & 1u) != 0u;
  if ((s.y & 2u) != 0u || s.x > 0x80000000u || (s.x == 0x80000000u && !neg)) { atomicMax(&status[0], ${STATUS.range}u); }
  let y_v = select(bitcast<i32>(s.x), bitcast<i32>(0u - s.x), neg);`;

/**
 * max/min/argmax/argmin, one pipeline per input type (meta word 6: bit 0 min, bit 1 output the
 * position): the best value with its flat position (NONE: no element yet). NaN wins and, among
 * equals (NaN with NaN, -0 with +0, ties), the lower position wins: the first one, as the CPU
 * backend's left-to-right scans pick, whatever order the tree meets them in.
 */
function extremum(t: WgslScalar): string {
  const nan =
    t === 'f32'
      ? `
  let an = is_nan(a.v);
  let bn = is_nan(b.v);
  if (an != bn) { if (an) { return a; } return b; }`
      : '';
  const zero = t === 'f32' ? '0.0' : t === 'i32' ? '0i' : '0u';
  return `
const NONE = 0xffffffffu;
struct S { v: ${t}, i: u32 }
fn s_id() -> S { return S(${zero}, NONE); }
fn s_load(v: ${t}, r: u32) -> S { return S(v, r); }
fn s_comb(a: S, b: S) -> S {
  if (a.i == NONE) { return b; }
  if (b.i == NONE) { return a; }${nan}
  if (a.v != b.v${t === 'f32' ? ' && !an' : ''}) {
    if ((b.v > a.v) != ((params[6] & 1u) != 0u)) { return b; }
    return a;
  }
  if (b.i < a.i) { return b; }
  return a;
}
fn s_word(s: S, k: u32) -> u32 { if (k == 0u) { return bitcast<u32>(s.v); } return s.i; }
fn s_unword(w0: u32, w1: u32) -> S { return S(bitcast<${t}>(w0), w1); }`;
}

/** The accumulator of `op` over `dtype`. */
export function accumulatorOf(op: ReduceOp, dtype: DType): Accumulator {
  const t = scalarOf(dtype);
  const outDtype = reduceOutDtype(op, dtype);
  const outType = scalarOf(outDtype);
  if (op === 'sum' || op === 'prod') {
    if (t === 'f32')
      return {
        name: `f${op}`,
        words: op === 'sum' ? 2 : 1,
        wgsl: op === 'sum' ? FLOAT_SUM : FLOAT_PROD,
        outDtype,
        outType,
        finish: op === 'sum' ? FLOAT_SUM_FINISH : 'let y_v = s;',
        fails: false,
        flags: 0,
      };
    return {
      name: `i${op}:${t}`,
      words: 2,
      wgsl: op === 'sum' ? intSum(t) : intProd(t),
      outDtype,
      outType,
      finish: op === 'sum' ? INT_SUM_FINISH : INT_PROD_FINISH,
      fails: true,
      flags: 0,
    };
  }
  return {
    name: `extremum:${t}`,
    words: 2,
    wgsl: extremum(t),
    outDtype,
    // max keeps its dtype, argmax is int32: both leave as words
    outType: 'u32',
    finish: 'let y_v = select(bitcast<u32>(s.v), s.i, (params[6] & 2u) != 0u);',
    fails: false,
    flags: (op === 'min' || op === 'argmin' ? 1 : 0) | (op === 'argmax' || op === 'argmin' ? 2 : 0),
  };
}
