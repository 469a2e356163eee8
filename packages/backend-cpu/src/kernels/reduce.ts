import type { DType, ReduceOp, Shape, TypedArray } from '@proj/core';
import { alloc } from '../storage.js';
import { permuteOp } from './movement.js';

/**
 * Output dtype of `op` over `dtype`: arg-reductions and bool/uint8/int32 sum/prod yield int32
 * (int64 is reduced by `int64Reduce` on doubles, and keeps int64).
 */
export function reduceDtype(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int32';
  if ((op === 'sum' || op === 'prod') && (dtype === 'int32' || dtype === 'uint8' || dtype === 'bool'))
    return 'int32';
  return dtype;
}

const IDENTITY: Record<ReduceOp, number> = {
  sum: 0,
  prod: 1,
  max: Number.NEGATIVE_INFINITY,
  min: Number.POSITIVE_INFINITY,
  argmax: 0,
  argmin: 0,
};

/**
 * Reduces `axes` of `x` away. The shape is collapsed into runs of kept/reduced dims; the
 * patterns [K, R], [R, K] and [K, R, K] (reducing the last axes, the leading axes, or one
 * middle block) run directly, anything else is first permuted so the reduced dims come last.
 */
export function reduceOp(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  dtype: DType,
): TypedArray {
  const outDtype = reduceDtype(op, dtype);
  const reduced = new Array<boolean>(shape.length).fill(false);
  for (const a of axes) reduced[a] = true;
  let outSize = 1;
  let rSize = 1;
  for (let d = 0; d < shape.length; d++) {
    if (reduced[d]) rSize *= shape[d];
    else outSize *= shape[d];
  }
  // never int64 here: int64 is reduced as float64 doubles (int-checked.ts)
  const out = alloc(outDtype, outSize);
  if (outSize === 0) return out;
  if (rSize === 0) return out.fill(IDENTITY[op]);

  // Runs of consecutive kept (false) / reduced (true) dims, size-1 dims ignored.
  const runs: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = runs[runs.length - 1];
    if (last && last.reduced === reduced[d]) last.size *= shape[d];
    else runs.push({ reduced: reduced[d], size: shape[d] });
  }
  const rIdx = runs.findIndex((r) => r.reduced);
  if (rIdx < 0) {
    // Only size-1 dims are reduced: every output sees exactly one element.
    if (op === 'argmax' || op === 'argmin') return out;
    out.set(x);
    return out;
  }
  const lastR = runs.length - 1 - [...runs].reverse().findIndex((r) => r.reduced);
  if (rIdx === lastR && rIdx <= 1 && runs.length - rIdx <= 2) {
    const outer = rIdx === 1 ? runs[0].size : 1;
    const inner = rIdx + 1 < runs.length ? runs[rIdx + 1].size : 1;
    reduceBlock(op, x, out, outer, runs[rIdx].size, inner);
    return out;
  }
  // General pattern: move reduced dims last, then every output reduces one contiguous row.
  const perm: number[] = [];
  for (let d = 0; d < shape.length; d++) if (!reduced[d]) perm.push(d);
  for (let d = 0; d < shape.length; d++) if (reduced[d]) perm.push(d);
  reduceBlock(op, permuteOp(x, shape, perm), out, outSize, rSize, 1);
  return out;
}

/** Reduces the middle dim of `x` viewed as [outer, R, inner] into `out` [outer, inner]. */
function reduceBlock(
  op: ReduceOp,
  x: TypedArray,
  out: TypedArray,
  outer: number,
  R: number,
  inner: number,
): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = ROW[op](x, o * R, R);
    return;
  }
  const acc = new Float64Array(inner);
  const arg = new Int32Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * R * inner;
    COLUMNS[op](x, base, R, inner, acc, arg);
    const src = op === 'argmax' || op === 'argmin' ? arg : acc;
    const oo = o * inner;
    for (let k = 0; k < inner; k++) out[oo + k] = src[k];
  }
}

/** Reduction of one contiguous row `x[off .. off+n)` (n >= 1). */
type RowReduce = (x: TypedArray, off: number, n: number) => number;

// NaN handling follows PyTorch: max/min propagate NaN, argmax/argmin pick the first NaN.
const ROW: Record<ReduceOp, RowReduce> = {
  sum: (x, off, n) => {
    let s = 0;
    for (let i = off, e = off + n; i < e; i++) s += x[i];
    return s;
  },
  prod: (x, off, n) => {
    let s = 1;
    for (let i = off, e = off + n; i < e; i++) s *= x[i];
    return s;
  },
  max: (x, off, n) => {
    let m = x[off];
    for (let i = off + 1, e = off + n; i < e; i++) {
      const v = x[i];
      if (v > m || Number.isNaN(v)) m = v;
    }
    return m;
  },
  min: (x, off, n) => {
    let m = x[off];
    for (let i = off + 1, e = off + n; i < e; i++) {
      const v = x[i];
      if (v < m || Number.isNaN(v)) m = v;
    }
    return m;
  },
  argmax: (x, off, n) => {
    let m = x[off];
    let best = 0;
    for (let i = 1; i < n && !Number.isNaN(m); i++) {
      const v = x[off + i];
      if (v > m || Number.isNaN(v)) {
        m = v;
        best = i;
      }
    }
    return best;
  },
  argmin: (x, off, n) => {
    let m = x[off];
    let best = 0;
    for (let i = 1; i < n && !Number.isNaN(m); i++) {
      const v = x[off + i];
      if (v < m || Number.isNaN(v)) {
        m = v;
        best = i;
      }
    }
    return best;
  },
};

/**
 * Reduction over the strided middle dim of a [R, inner] block at `base`, vectorised along
 * the contiguous inner dim into `acc` (values) and `arg` (indices for arg-reductions).
 */
type ColumnReduce = (
  x: TypedArray,
  base: number,
  R: number,
  inner: number,
  acc: Float64Array,
  arg: Int32Array,
) => void;

const COLUMNS: Record<ReduceOp, ColumnReduce> = {
  sum: (x, base, R, inner, acc) => {
    acc.fill(0);
    for (let r = 0; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) acc[k] += x[off + k];
    }
  },
  prod: (x, base, R, inner, acc) => {
    acc.fill(1);
    for (let r = 0; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) acc[k] *= x[off + k];
    }
  },
  max: (x, base, R, inner, acc) => {
    for (let k = 0; k < inner; k++) acc[k] = x[base + k];
    for (let r = 1; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) {
        const v = x[off + k];
        if (v > acc[k] || Number.isNaN(v)) acc[k] = v;
      }
    }
  },
  min: (x, base, R, inner, acc) => {
    for (let k = 0; k < inner; k++) acc[k] = x[base + k];
    for (let r = 1; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) {
        const v = x[off + k];
        if (v < acc[k] || Number.isNaN(v)) acc[k] = v;
      }
    }
  },
  argmax: (x, base, R, inner, acc, arg) => {
    for (let k = 0; k < inner; k++) acc[k] = x[base + k];
    arg.fill(0);
    for (let r = 1; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) {
        const v = x[off + k];
        const m = acc[k];
        if (!Number.isNaN(m) && (v > m || Number.isNaN(v))) {
          acc[k] = v;
          arg[k] = r;
        }
      }
    }
  },
  argmin: (x, base, R, inner, acc, arg) => {
    for (let k = 0; k < inner; k++) acc[k] = x[base + k];
    arg.fill(0);
    for (let r = 1; r < R; r++) {
      const off = base + r * inner;
      for (let k = 0; k < inner; k++) {
        const v = x[off + k];
        const m = acc[k];
        if (!Number.isNaN(m) && (v < m || Number.isNaN(v))) {
          acc[k] = v;
          arg[k] = r;
        }
      }
    }
  },
};
