// Graphs of the reductions (sum, prod, max, min over axes; argmax/argmin over one axis).
import type { DType, ReduceOp, Shape } from '@proj/core';
import { GraphBuilder, type OnnxType } from '../graph.js';

/** Output dtype of a reduction: int32 for arg*, and for sum/prod of bool or int32. */
export function reduceOutDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int32';
  if ((op === 'sum' || op === 'prod') && dtype === 'bool') return 'int32';
  return dtype;
}

/** The value an empty reduction yields. */
export function reduceIdentity(op: ReduceOp): number {
  return op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
}

/** A model reducing `axes` of an input of `shape` away (keepdims = 0). */
export function reduceGraph(op: ReduceOp, dtype: DType, shape: Shape, axes: readonly number[]): GraphBuilder {
  const g = new GraphBuilder();
  let x = g.input(dtype as OnnxType, shape);
  // ONNX reductions have no bool kernels: reduce on int32 (max/min cast back below)
  if (dtype === 'bool') x = g.node('Cast', [x], { to: 6 });
  const out = reduceOutDType(op, dtype);
  let y: string;
  const float = dtype === 'float32' || dtype === 'float64';
  if (op === 'argmax' || op === 'argmin') {
    const attrs = { axis: axes[0], keepdims: 0, select_last_index: 0 };
    let idx = g.node(op === 'argmax' ? 'ArgMax' : 'ArgMin', [x], attrs);
    if (float) {
      // torch counts NaN as both the maximum and the minimum: the first NaN wins
      const nan = g.node('Cast', [g.node('IsNaN', [x])], { to: 6 });
      const anyNan = g.node('Cast', [g.node('ReduceMax', [nan], { axes, keepdims: 0 })], { to: 9 });
      idx = g.node('Where', [anyNan, g.node('ArgMax', [nan], attrs), idx]);
    }
    y = g.node('Cast', [idx], { to: 6 });
  } else if (op === 'sum') {
    y = g.node('ReduceSum', [x, g.ints(axes)], { keepdims: 0 });
  } else {
    const name = op === 'prod' ? 'ReduceProd' : op === 'max' ? 'ReduceMax' : 'ReduceMin';
    y = g.node(name, [x], { axes, keepdims: 0 });
    if (float && op !== 'prod') {
      // ORT's ReduceMax/Min skip NaN; torch propagates it
      const nan = g.node('Cast', [g.node('IsNaN', [x])], { to: 6 });
      const anyNan = g.node('Cast', [g.node('ReduceMax', [nan], { axes, keepdims: 0 })], { to: 9 });
      y = g.node('Where', [anyNan, g.constant(dtype as OnnxType, [Number.NaN], []), y]);
    }
    if (out === 'bool') y = g.node('Cast', [y], { to: 9 });
  }
  g.output(y, out as OnnxType);
  return g;
}
