import type { Shape, TypedArray } from '@proj/core';
import { allocLike } from '../storage.js';

/**
 * Softmax (or log-softmax with `log`) of `x` along `axis`, max-subtracted for stability.
 * Viewed as [outer, A, inner]: the last axis (inner = 1) runs over contiguous rows, other
 * axes run vectorised over the inner dim.
 */
export function softmaxOp(x: TypedArray, shape: Shape, axis: number, log: boolean): TypedArray {
  const out = allocLike(x, x.length);
  if (x.length === 0) return out;
  const A = shape.length === 0 ? 1 : shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const outer = x.length / (A * inner);
  if (inner === 1) {
    for (let o = 0, off = 0; o < outer; o++, off += A) {
      const e = off + A;
      let m = Number.NEGATIVE_INFINITY;
      for (let i = off; i < e; i++) if (x[i] > m) m = x[i];
      if (m === Number.NEGATIVE_INFINITY) m = 0; // all -Inf: keep NaN-free shift
      let s = 0;
      if (log) {
        for (let i = off; i < e; i++) s += Math.exp(x[i] - m);
        // (x - m) - log(s), never x - (m + log(s)): for large m, m + log(s) rounds log(s) away.
        const ls = Math.log(s);
        for (let i = off; i < e; i++) out[i] = x[i] - m - ls;
      } else {
        for (let i = off; i < e; i++) {
          const v = Math.exp(x[i] - m);
          out[i] = v;
          s += v;
        }
        const inv = 1 / s;
        for (let i = off; i < e; i++) out[i] *= inv;
      }
    }
    return out;
  }
  const mx = new Float64Array(inner);
  const sum = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * A * inner;
    mx.fill(Number.NEGATIVE_INFINITY);
    sum.fill(0);
    for (let a = 0; a < A; a++) {
      const off = base + a * inner;
      for (let k = 0; k < inner; k++) if (x[off + k] > mx[k]) mx[k] = x[off + k];
    }
    for (let k = 0; k < inner; k++) if (mx[k] === Number.NEGATIVE_INFINITY) mx[k] = 0;
    for (let a = 0; a < A; a++) {
      const off = base + a * inner;
      for (let k = 0; k < inner; k++) sum[k] += Math.exp(x[off + k] - mx[k]);
    }
    for (let k = 0; k < inner; k++) sum[k] = log ? Math.log(sum[k]) : 1 / sum[k];
    for (let a = 0; a < A; a++) {
      const off = base + a * inner;
      if (log) for (let k = 0; k < inner; k++) out[off + k] = x[off + k] - mx[k] - sum[k];
      else for (let k = 0; k < inner; k++) out[off + k] = Math.exp(x[off + k] - mx[k]) * sum[k];
    }
  }
  return out;
}
