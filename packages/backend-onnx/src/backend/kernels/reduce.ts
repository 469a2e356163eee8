// Graphs of the reductions (sum, prod, max, min over axes; argmax/argmin over one axis).
import type { DType, ReduceOp } from '@proj/core';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType } from '../../proto/index.js';
import { symbolic } from './dims.js';

/** Output dtype of a reduction: int32 for arg*, and for sum/prod of bool, uint8 or int32 (int64's stay int64). */
export function reduceOutDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int32';
  if ((op === 'sum' || op === 'prod') && (dtype === 'bool' || dtype === 'uint8')) return 'int32';
  return dtype;
}

/** The value an empty reduction yields. */
export function reduceIdentity(op: ReduceOp): number {
  return op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
}

/**
 * A model reducing `axes` of an input of rank `rank` (any sizes) away (keepdims = 0). `wide`
 * sums (or multiplies) in float64: a float32 sum then rounds once, at the end, instead of at
 * every step of ORT's float32 accumulation (2^17 equal terms drift by ~2e-4 relative), and
 * an integer sum/prod is returned as float64 for the host to narrow with a range check (ORT's
 * int32 ReduceSum neither wraps nor saturates reliably); int64/uint8 arg-reductions compare in
 * float64 and return int32 positions.
 */
export function reduceGraph(
  op: ReduceOp,
  dtype: DType,
  rank: number,
  axes: readonly number[],
  wide = false,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  let x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  // ONNX reductions have no bool kernels: reduce on int32 (max/min cast back below)
  if (wide) x = g.op('Cast', [x], { to: ONNX_DATA_TYPE.float64 });
  else if (dtype === 'bool') x = g.op('Cast', [x], { to: 6 });
  let out: OnnxDType = reduceOutDType(op, dtype) as OnnxDType;
  let y: string;
  const float = dtype === 'float32' || dtype === 'float64';
  if (op === 'argmax' || op === 'argmin') {
    const attrs = { axis: axes[0], keepdims: 0, select_last_index: 0 };
    let idx = g.op(op === 'argmax' ? 'ArgMax' : 'ArgMin', [x], attrs);
    if (float) {
      // torch counts NaN as both the maximum and the minimum: the first NaN wins
      const nan = g.op('Cast', [g.op('IsNaN', [x])], { to: 6 });
      const anyNan = g.op('Cast', [g.op('ReduceMax', [nan], { axes, keepdims: 0 })], { to: 9 });
      idx = g.op('Where', [anyNan, g.op('ArgMax', [nan], attrs), idx]);
    }
    y = g.op('Cast', [idx], { to: 6 });
  } else if (op === 'sum') {
    y = g.op('ReduceSum', [x, g.int64s(axes)], { keepdims: 0 });
  } else {
    const name = op === 'prod' ? 'ReduceProd' : op === 'max' ? 'ReduceMax' : 'ReduceMin';
    y = g.op(name, [x], { axes, keepdims: 0 });
    if (float && op !== 'prod') {
      // ORT's ReduceMax/Min skip NaN; torch propagates it
      const nan = g.op('Cast', [g.op('IsNaN', [x])], { to: 6 });
      const anyNan = g.op('Cast', [g.op('ReduceMax', [nan], { axes, keepdims: 0 })], { to: 9 });
      y = g.op('Where', [anyNan, g.scalar(Number.NaN, 'c', dtype as OnnxDType), y]);
    }
    if (out === 'bool') y = g.op('Cast', [y], { to: 9 });
  }
  if (wide && float) y = g.op('Cast', [y], { to: ONNX_DATA_TYPE[dtype as OnnxDType] });
  else if (wide && op !== 'argmax' && op !== 'argmin') out = 'float64';
  g.output(y, out);
  return g;
}
