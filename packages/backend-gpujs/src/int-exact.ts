/**
 * int32 and int64 on this backend live in float32 textures (WebGL 1 has no integer textures),
 * which hold every integer up to 2^24 in magnitude and round the ones beyond. Values that would
 * be rounded are refused with an error instead: on upload, in fills, in float→int casts, in
 * integer arithmetic (add, sub, mul, pow, scatterAdd) and in integer sums and products. uint8
 * (0..255) is always exact; its results outside 0..255 are errors, never wrapped.
 */
import { type DType, fitsDtype, intRangeError, type ReduceOp } from '@proj/core';
import { unarySpec } from './kernels/elementwise.js';
import { isnanf } from './kernels/math.js';
import { INT_EXACT } from './limits.js';
import { type Runner, reduceLong } from './multipass.js';
import type { GpuData } from './storage.js';

const WHY = `gpu.js keeps int32 and int64 in float32 textures, exact to ±2^24 = ±${INT_EXACT}`;

/** The error for an integer value this backend cannot hold (out of the dtype's range: core's error). */
function notExact(op: string, v: number | bigint, dtype: DType): Error {
  if (typeof v === 'number' ? !fitsDtype(v, dtype) : !fitsDtype(Number(v), dtype))
    return intRangeError(`gpujs ${op}`, v, dtype);
  return new RangeError(
    `gpujs ${op}: ${dtype} value ${typeof v === 'number' ? Math.trunc(v) : v} cannot be stored exactly (${WHY}); use the cpu or onnx backend`,
  );
}

/**
 * Throws for the first value whose truncation is not exact in a float32 texture (int32,
 * int64) or does not fit the dtype (uint8: 0..255).
 */
export function checkIntFits(op: string, values: ArrayLike<number>, dtype: DType = 'int32'): void {
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]);
    // written so that NaN fails too
    if (!(Math.abs(v) <= INT_EXACT) || !fitsDtype(v, dtype)) throw notExact(op, values[i], dtype);
  }
}

/** int64 values as float32 texels, refusing any beyond ±2^24. */
export function int64Floats(op: string, values: BigInt64Array): Float32Array {
  const out = new Float32Array(values.length);
  const max = BigInt(INT_EXACT);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > max || v < -max) throw notExact(op, v, 'int64');
    out[i] = Number(v);
  }
  return out;
}

/**
 * A cast to uint8 must not wrap: every value must truncate into 0..255 (checked on the host:
 * casts to uint8 are rare, and the values are read once).
 */
export function checkCastToUint8(x: GpuData): void {
  if (x.dtype === 'bool' || x.dtype === 'uint8') return;
  for (const v of x.readFloats()) if (!fitsDtype(v, 'uint8')) throw intRangeError('gpujs cast', v, 'uint8');
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
export function checkCastToInt(r: Runner, x: GpuData, to: DType = 'int32'): void {
  if (anyFlagged(r, x, flagSpec(INT_EXACT, false))) checkIntFits('cast', x.readFloats(), to);
}

/** A kernel flagging (1) NaN and values outside 0..255 (uint8 results). */
const uint8FlagSpec = {
  key: 'int-check:uint8',
  source:
    'function (a) { var v = a[this.thread.x]; return (isnanf(v) > 0.0 || v < 0.0 || v > 255.0) ? 1.0 : 0.0; }',
  helpers: [isnanf],
};

/**
 * The result of integer arithmetic (`op` of the Backend's binary ops or scatterAdd), computed in
 * float32 on exact integers: for int32 and int64, exact while below 2^24 in magnitude, rounded
 * beyond (a float32 result of 2^24 may itself be 2^24 + 1 rounded, so it is refused too); for
 * uint8, a result outside 0..255 does not fit.
 */
export function checkIntResult(r: Runner, op: string, out: GpuData): void {
  if (out.dtype === 'uint8') {
    if (!anyFlagged(r, out, uint8FlagSpec)) return;
    const bad = out.readFloats().find((v) => !fitsDtype(v, 'uint8'));
    throw intRangeError(op, bad ?? Number.NaN, 'uint8');
  }
  if (!anyFlagged(r, out, flagSpec(INT_EXACT, true))) return;
  const bad = out.readFloats().find((v) => !(Math.abs(v) < INT_EXACT));
  const d = out.dtype;
  throw new RangeError(
    `gpujs ${op}: an ${d} result reaches ${bad} in magnitude, beyond what ${d} results hold exactly here (${WHY}); cast to float32 first (.float()) or use the cpu or onnx backend`,
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
  if ((x.dtype !== 'int32' && x.dtype !== 'int64') || (op !== 'sum' && op !== 'prod')) return;
  let bound: Float32Array;
  if (op === 'prod') bound = out.readFloats();
  else {
    const abs = r.run(unarySpec('abs'), x.n, x.dtype, [x.arg]);
    let s: GpuData | undefined;
    try {
      s = reduceLong(r, 'sum', abs, shape, axes, x.dtype);
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
        `gpujs ${op}: an ${x.dtype} ${op === 'sum' ? 'sum of magnitudes' : 'product'} reaches ${v}, beyond what ${x.dtype} results hold exactly here (${WHY}); cast to float32 first (.float()) or use the cpu or onnx backend`,
      );
    }
  }
}
