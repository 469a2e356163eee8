import { narrowInt32, type Shape, sizeOf, stridesOf, type TypedArray } from '@proj/core';
import { allocLike, copyOf } from '../storage.js';
import { scatterAddRowsWasm } from './spatial-wasm.js';

function outOfRange(op: string, value: number, axis: number, size: number): Error {
  return new Error(
    `${op}: index ${value} is out of range for axis ${axis} of size ${size} (expected 0 <= index < ${size})`,
  );
}

/**
 * For each row (last dim) of `index` (shape `iShape`), the element offset in a tensor of
 * `xShape` of that row's start, leaving out the `axis` coordinate (the index supplies it).
 * Index dims may be smaller than x's (torch.gather allows it), hence x's own strides.
 */
function rowBases(iShape: Shape, xShape: Shape, axis: number): { bases: Int32Array; n: number } {
  const r = iShape.length;
  const xs = stridesOf(xShape);
  const n = r === 0 ? 1 : iShape[r - 1];
  const rows = n === 0 ? 0 : sizeOf(iShape) / n;
  const bases = new Int32Array(rows);
  const idx = new Array<number>(Math.max(r - 1, 0)).fill(0);
  let base = 0;
  for (let row = 0; row < rows; row++) {
    bases[row] = base;
    for (let d = r - 2; d >= 0; d--) {
      // The gathered axis contributes the index value, not the position.
      const step = d === axis ? 0 : xs[d];
      base += step;
      if (++idx[d] < iShape[d]) break;
      base -= step * iShape[d];
      idx[d] = 0;
    }
  }
  return { bases, n };
}

/**
 * torch.gather: `out[p] = x[p with coordinate axis replaced by index[p]]`. Output has the
 * index's shape and x's dtype. Throws naming the first out-of-range index.
 */
export function gatherOp(
  x: TypedArray,
  xShape: Shape,
  axis: number,
  index: Int32Array,
  iShape: Shape,
): TypedArray {
  const out = allocLike(x, index.length);
  if (index.length === 0) return out;
  const size = xShape.length === 0 ? 1 : xShape[axis];
  const axisStride = xShape.length === 0 ? 0 : stridesOf(xShape)[axis];
  const { bases, n } = rowBases(iShape, xShape, axis);
  const last = xShape.length - 1;
  // Along the last axis the row step belongs to the index; otherwise positions step by 1.
  const posStep = axis === last ? 0 : 1;
  for (let row = 0, p = 0; row < bases.length; row++) {
    const base = bases[row];
    for (let j = 0; j < n; j++, p++) {
      const k = index[p];
      if (k < 0 || k >= size) throw outOfRange('gather', k, axis, size);
      out[p] = x[base + j * posStep + k * axisStride];
    }
  }
  return out;
}

/**
 * torch.scatter_add: a copy of `target` with `src[p]` added at `p` with coordinate `axis`
 * replaced by `index[p]`. `index` and `src` share a shape.
 */
export function scatterAddOp(
  target: TypedArray,
  tShape: Shape,
  axis: number,
  index: Int32Array,
  iShape: Shape,
  src: TypedArray,
): TypedArray {
  // int32 sums accumulate in float64 and are narrowed with a range check (no wrap-around).
  const int = target instanceof Int32Array;
  if (index.length === 0) return copyOf(target);
  const last = tShape.length - 1;
  if (
    target instanceof Float32Array &&
    src instanceof Float32Array &&
    last >= 0 &&
    axis === last &&
    iShape.length === tShape.length &&
    iShape.every((d, i) => i === last || d === tShape[i])
  ) {
    // the rows of index and target match: each index row scatters into its own target row
    const out = allocLike(target, target.length) as Float32Array;
    out.set(target);
    const n = iShape[last];
    const bad = scatterAddRowsWasm(out, index, src, n === 0 ? 0 : index.length / n, n, tShape[last]);
    if (bad !== false) {
      if (bad >= 0) throw outOfRange('scatterAdd', index[bad], axis, tShape[last]);
      return out;
    }
  }
  const out = int ? Float64Array.from(target) : copyOf(target);
  const size = tShape.length === 0 ? 1 : tShape[axis];
  const axisStride = tShape.length === 0 ? 0 : stridesOf(tShape)[axis];
  const { bases, n } = rowBases(iShape, tShape, axis);
  const posStep = axis === tShape.length - 1 ? 0 : 1;
  for (let row = 0, p = 0; row < bases.length; row++) {
    const base = bases[row];
    for (let j = 0; j < n; j++, p++) {
      const k = index[p];
      if (k < 0 || k >= size) throw outOfRange('scatterAdd', k, axis, size);
      out[base + j * posStep + k * axisStride] += src[p];
    }
  }
  return int ? narrowInt32('scatterAdd', out as Float64Array) : out;
}
