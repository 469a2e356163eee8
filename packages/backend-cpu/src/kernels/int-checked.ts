import {
  type BinaryOp,
  checkFits,
  type DType,
  narrowInt32,
  type ReduceOp,
  type Shape,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import { binaryOp } from './binary.js';
import { reduceOp } from './reduce.js';
import { unaryInto } from './unary.js';

/**
 * Integer results that can leave the int32 range. They are computed in float64 (exact for
 * every sum and difference of int32 values; a product or power that rounds there is far out
 * of range anyway) and narrowed with a range check, so an overflow is an error instead of
 * C's silent wrap-around.
 */
const WIDE_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'div', 'pow']);
const WIDE_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['neg', 'abs']);
const WIDE_REDUCE: ReadonlySet<ReduceOp> = new Set<ReduceOp>(['sum', 'prod']);

/** `binaryOp` for int32 operands, with overflow and division by zero as errors. */
export function intBinary(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
): TypedArray {
  if (!WIDE_BINARY.has(op)) return binaryOp(op, a, aShape, b, bShape, outShape, 'int32');
  const wide = binaryOp(op, a, aShape, b, bShape, outShape, 'float64') as Float64Array;
  if (op === 'pow' && b.some((v) => v < 0)) {
    // PyTorch's integer pow for a negative exponent is 1 for 1, ±1 for -1 and 0 otherwise:
    // trunc(a ** b) is that, except 0 ** -n (Infinity in float64), which is 0.
    const zeroBase = binaryOp('eq', a, aShape, new Int32Array([0]), [], outShape, 'int32');
    const negExp = binaryOp('lt', b, bShape, new Int32Array([0]), [], outShape, 'int32');
    for (let i = 0; i < wide.length; i++) if (zeroBase[i] && negExp[i]) wide[i] = 0;
  }
  return narrowInt32(op, wide);
}

/** `unaryInto` for int32 input: `neg`/`abs` of -2^31 do not fit. */
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

/** `reduceOp` whose result is int32 (sum/prod of int32 or bool): overflow is an error. */
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
