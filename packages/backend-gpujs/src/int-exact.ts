/**
 * int32 on this backend lives in float32 textures (WebGL 1 has no integer textures), which
 * hold every integer up to 2^24 in magnitude and round the ones beyond. Values that would be
 * rounded are refused with an error instead: on upload, in fills, in float→int casts, in
 * integer arithmetic (add, sub, mul, pow, scatterAdd) and in integer sums and products.
 */
import { fitsDtype, intRangeError, type ReduceOp } from '@proj/core';
import { unarySpec } from './kernels/elementwise.js';
import { isnanf } from './kernels/math.js';
import { INT_EXACT } from './limits.js';
import { type Runner, reduceLong } from './multipass.js';
import type { GpuData } from './storage.js';

const WHY = `gpu.js keeps int32 in float32 textures, exact to ±2^24 = ±${INT_EXACT}`;

/** The error for an int32 value this backend cannot hold (out of int32 range: core's error). */
function notExact(op: string, v: number): Error {
  if (!fitsDtype(v, 'int32')) return intRangeError(`gpujs ${op}`, v, 'int32');
  return new RangeError(
    `gpujs ${op}: int32 value ${Math.trunc(v)} cannot be stored exactly (${WHY}); use the cpu or onnx backend`,
  );
}

/** Throws for the first value whose int32 (truncated) is not exact in a float32 texture. */
export function checkIntFits(op: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    // written so that NaN fails too
    if (!(Math.abs(Math.trunc(values[i])) <= INT_EXACT)) throw notExact(op, values[i]);
  }
}

/** A kernel flagging (1) NaN, ±Infinity and magnitudes past `limit` (`>` or, with `orEqual`, `>=`). */
function flagSpec(limit: number, orEqual: boolean) {
  const cmp = orEqual ? '>=' : '>';
  return {
    key: `int-check:${cmp}${limit}`,
    source: `function (a) { var v = a[this.thread.x]; return (isnanf(v) > 0.0 || Math.abs(v) ${cmp} ${limit}.0) ? 1.0 : 0.0; }`,
    helpers: [isnanf],
  };
}

/** Whether any element of `x` is flagged: one flag per element on the GPU, one number read back. */
function anyFlagged(r: Runner, x: GpuData, spec: ReturnType<typeof flagSpec>): boolean {
  if (x.n === 0) return false;
  const flags = r.run(spec, x.n, 'float32', [x.arg]);
  let any: GpuData | undefined;
  try {
    any = reduceLong(r, 'max', flags, [x.n], [0], 'float32');
    return any.readFloats()[0] !== 0;
  } finally {
    r.free(flags);
    if (any) r.free(any);
  }
}

/**
 * A float32 → int32 cast must not wrap, turn NaN into 0 or round: values whose truncation
 * passes 2^24 are refused (checked on the GPU; only when one fails is the input read to name it).
 */
export function checkCastToInt(r: Runner, x: GpuData): void {
  if (anyFlagged(r, x, flagSpec(INT_EXACT, false))) checkIntFits('cast', x.readFloats());
}

/**
 * The result of int32 arithmetic (`op` of the Backend's binary ops or scatterAdd), computed in
 * float32 on exact integers: exact while below 2^24 in magnitude, rounded beyond. A float32
 * result of 2^24 may itself be 2^24 + 1 rounded, so it is refused too.
 */
export function checkIntResult(r: Runner, op: string, out: GpuData): void {
  if (!anyFlagged(r, out, flagSpec(INT_EXACT, true))) return;
  const bad = out.readFloats().find((v) => !(Math.abs(v) < INT_EXACT));
  throw new RangeError(
    `gpujs ${op}: an int32 result reaches ${bad} in magnitude, beyond what int32 results hold exactly here (${WHY}); cast to float32 first (.float()) or use the cpu or onnx backend`,
  );
}

/**
 * Refuses reductions whose int32 results could pass 2^24 before they run: arg-reductions
 * over more positions than float32 counts exactly, bool sums of more elements.
 */
export function checkReduceRange(op: ReduceOp, dtype: string, R: number): void {
  if ((op === 'argmax' || op === 'argmin') && R - 1 > INT_EXACT) {
    throw new RangeError(
      `gpujs ${op}: positions up to ${R - 1} along the reduced dims cannot be stored exactly as int32 (${WHY}); use the cpu or onnx backend`,
    );
  }
  if (op === 'sum' && dtype === 'bool' && R > INT_EXACT) {
    throw new RangeError(
      `gpujs sum: counting ${R} bool elements can pass ${INT_EXACT}, which int32 results hold exactly here (${WHY}); cast to float32 first or use the cpu or onnx backend`,
    );
  }
}

/**
 * int32 sums and products accumulate in float32: exact while every partial result stays below
 * 2^24. A sum is safe when the sum of magnitudes is (checked with a second reduction); a
 * product when its result is (partial products only grow in magnitude until a 0 ends them).
 */
export function checkIntReduce(
  r: Runner,
  op: ReduceOp,
  x: GpuData,
  shape: readonly number[],
  axes: readonly number[],
  out: GpuData,
): void {
  if (x.dtype !== 'int32' || (op !== 'sum' && op !== 'prod')) return;
  let bound: Float32Array;
  if (op === 'prod') bound = out.readFloats();
  else {
    const abs = r.run(unarySpec('abs'), x.n, 'int32', [x.arg]);
    let s: GpuData | undefined;
    try {
      s = reduceLong(r, 'sum', abs, shape, axes, 'int32');
      bound = s.readFloats();
    } finally {
      r.free(abs);
      if (s) r.free(s);
    }
  }
  for (const v of bound) {
    // a float32 result of 2^24 may be 2^24 + 1 rounded: refuse it too (NaN cannot occur)
    if (Math.abs(v) >= INT_EXACT) {
      throw new RangeError(
        `gpujs ${op}: an int32 ${op === 'sum' ? 'sum of magnitudes' : 'product'} reaches ${v}, beyond what int32 results hold exactly here (${WHY}); cast to float32 first (.float()) or use the cpu or onnx backend`,
      );
    }
  }
}
