import {
  type BinaryOp,
  COMPARISON_OPS,
  checkFits,
  type DataArray,
  type DType,
  INT64_EXACT,
  type IntDType,
  narrowInt,
  narrowInt32,
  type ReduceOp,
  type Shape,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import { binaryOp } from './binary.js';
import { reduceOp } from './reduce.js';
import { unaryInto, unaryYieldsBool } from './unary.js';

/**
 * Integer results that can leave their dtype's range. They are computed in float64 (exact for
 * every sum and difference of int32 values, and of int64 values within ±(2^53 - 1), which is
 * all int64 arithmetic gets here; a product or power that rounds there is far out of range
 * anyway) and narrowed with a range check, so an overflow is an error instead of C's silent
 * wrap-around.
 *
 * int64 operands arrive here as doubles (the backend converts them, refusing magnitudes past
 * 2^53 - 1) and int64 results leave as BigInt64Arrays; uint8 and int32 stay number arrays.
 */
const WIDE_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'div', 'pow']);
const WIDE_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['neg', 'abs']);
const WIDE_REDUCE: ReadonlySet<ReduceOp> = new Set<ReduceOp>(['sum', 'prod']);

/** `binaryOp` for integer operands of `dtype`, with overflow and division by zero as errors. */
export function intBinary(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  dtype: IntDType = 'int32',
): DataArray {
  // int64 operands are doubles here: compare them as such (bool results need no narrowing)
  if (COMPARISON_OPS.has(op))
    return binaryOp(op, a, aShape, b, bShape, outShape, dtype === 'int64' ? 'float64' : dtype);
  if (!WIDE_BINARY.has(op) && dtype !== 'int64') return binaryOp(op, a, aShape, b, bShape, outShape, dtype);
  const wide = binaryOp(op, a, aShape, b, bShape, outShape, 'float64') as Float64Array;
  if (op === 'pow' && b.some((v) => v < 0)) {
    // PyTorch's integer pow for a negative exponent is 1 for 1, ±1 for -1 and 0 otherwise:
    // trunc(a ** b) is that, except 0 ** -n (Infinity in float64), which is 0.
    const zeroBase = binaryOp('eq', a, aShape, new Int32Array([0]), [], outShape, 'int32');
    const negExp = binaryOp('lt', b, bShape, new Int32Array([0]), [], outShape, 'int32');
    for (let i = 0; i < wide.length; i++) if (zeroBase[i] && negExp[i]) wide[i] = 0;
  }
  return narrowInt(op, wide, dtype);
}

/** `unaryInto` for integer input of `dtype` (`neg`/`abs` of -2^31, `neg` of a uint8 > 0 do not fit). */
export function intUnary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  if (!WIDE_UNARY.has(op)) {
    unaryInto(op, x, out);
    return;
  }
  const wide = new Float64Array(x.length);
  unaryInto(op, x, wide);
  checkFits(op, wide, 'int32');
  out.set(wide);
}

/**
 * A unary op of an integer tensor of `dtype` (int64 given as doubles): bool results for
 * `isnan`/`logicalNot`, else the dtype's array, range-checked where the op can leave it.
 */
export function intUnaryOf(op: UnaryOp, x: TypedArray, dtype: IntDType): DataArray {
  if (unaryYieldsBool(op)) {
    const out = new Uint8Array(x.length);
    unaryInto(op, x, out);
    return out;
  }
  if (dtype === 'int32') {
    const out = new Int32Array(x.length);
    intUnary(op, x, out);
    return out;
  }
  if (dtype === 'uint8' && op !== 'neg') {
    // abs, sign, relu, floor, ceil and round of 0..255 stay in 0..255
    const out = new Uint8Array(x.length);
    unaryInto(op, x, out);
    return out;
  }
  const wide = new Float64Array(x.length);
  unaryInto(op, x, wide);
  return narrowInt(op, wide, dtype);
}

/** `reduceOp` whose result is int32 (sum/prod of int32, uint8 or bool): overflow is an error. */
export function intReduce(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  dtype: DType,
): TypedArray {
  if (!WIDE_REDUCE.has(op)) return reduceOp(op, x, shape, axes, dtype);
  const wide = reduceOp(op, x, shape, axes, 'float64') as Float64Array;
  return narrowInt32(op, wide);
}

/**
 * A reduction of int64 values given as doubles (within ±(2^53 - 1)). arg-reductions give int32
 * positions; max/min are exact; a sum is exact when the sum of magnitudes stays within 2^53 - 1
 * (every partial sum does then), else it is refused; a product is exact when its result is
 * (partial products only grow in magnitude until a 0 ends them).
 */
export function int64Reduce(op: ReduceOp, x: Float64Array, shape: Shape, axes: readonly number[]): DataArray {
  if (op === 'argmax' || op === 'argmin') return reduceOp(op, x, shape, axes, 'float64');
  const wide = reduceOp(op, x, shape, axes, 'float64') as Float64Array;
  if (op === 'sum') {
    const abs = new Float64Array(x.length);
    unaryInto('abs', x, abs);
    const bound = reduceOp('sum', abs, shape, axes, 'float64') as Float64Array;
    for (let i = 0; i < bound.length; i++) {
      if (bound[i] > INT64_EXACT) {
        throw new RangeError(
          `sum: the magnitudes of these int64 values add up to ${bound[i]}, beyond ±(2^53 - 1), the range in which int64 is computed exactly here (through doubles): a partial sum could round, so the sum is refused`,
        );
      }
    }
  }
  return narrowInt(op, wide, 'int64');
}
