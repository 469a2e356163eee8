import { type Shape, sizeOf, stridesOf, type TypedArray } from '@proj/core';
import { allocLike } from '../storage.js';
import { collapseDims } from './broadcast.js';

/** Rows shorter than this are copied element by element; longer ones with `set(subarray)`. */
const SET_MIN = 32;

/**
 * Gathers a strided view of `src` (element `offset`, per-dim `shape` and `strides`) into the
 * contiguous `out` starting at `outOffset`. The loop nest is collapsed first, and the inner
 * dim is copied with one loop whose stride is fixed for the call.
 */
export function stridedCopy(
  src: TypedArray,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  out: TypedArray,
  outOffset = 0,
): void {
  const size = sizeOf(shape);
  if (size === 0) return;
  const c = collapseDims(shape, [strides]);
  const dims = c.shape;
  const st = c.strides[0];
  const r = dims.length;
  const n = dims[r - 1];
  const inc = st[r - 1];
  const idx = new Array<number>(r).fill(0);
  let so = offset;
  for (let oo = outOffset, end = outOffset + size; oo < end; oo += n) {
    if (inc === 1) {
      if (n >= SET_MIN) out.set(src.subarray(so, so + n), oo);
      else for (let i = 0; i < n; i++) out[oo + i] = src[so + i];
    } else if (inc === 0) {
      out.fill(src[so], oo, oo + n);
    } else {
      for (let i = 0, s = so; i < n; i++, s += inc) out[oo + i] = src[s];
    }
    for (let d = r - 2; d >= 0; d--) {
      so += st[d];
      if (++idx[d] < dims[d]) break;
      so -= st[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/** Cache-blocked transpose of `batch` row-major [rows, cols] matrices into [cols, rows]. */
function transposeBatched(src: TypedArray, out: TypedArray, batch: number, rows: number, cols: number): void {
  const B = 32;
  const plane = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(i0 + B, rows);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(j0 + B, cols);
        for (let i = i0; i < i1; i++) {
          const si = base + i * cols;
          for (let j = j0; j < j1; j++) out[base + j * rows + i] = src[si + j];
        }
      }
    }
  }
}

/** Output dim i is input dim `perm[i]`. Batched 2-D transposes take a blocked path. */
export function permuteOp(x: TypedArray, shape: Shape, perm: readonly number[]): TypedArray {
  const out = allocLike(x, x.length);
  if (x.length === 0) return out;
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  const c = collapseDims(outShape, [strides]);
  const dims = c.shape;
  const st = c.strides[0];
  if (dims.length === 1 && st[0] === 1) {
    out.set(x);
  } else if (dims.length === 2 && st[1] === dims[0] && st[0] === 1) {
    transposeBatched(x, out, 1, dims[1], dims[0]);
  } else if (dims.length === 3 && st[0] === dims[1] * dims[2] && st[1] === 1 && st[2] === dims[1]) {
    transposeBatched(x, out, dims[0], dims[2], dims[1]);
  } else {
    stridedCopy(x, 0, dims, st, out);
  }
  return out;
}

/** Broadcasts `x` of `shape` to `outShape` (same rank; each dim 1 or equal). */
export function expandOp(x: TypedArray, shape: Shape, outShape: Shape): TypedArray {
  const out = allocLike(x, sizeOf(outShape));
  const st = stridesOf(shape).map((s, i) => (shape[i] === 1 ? 0 : s));
  stridedCopy(x, 0, outShape, st, out);
  return out;
}

/** Strided slice: output dim i takes `sizes[i]` elements from `begin[i]` every `steps[i]`. */
export function sliceOp(
  x: TypedArray,
  shape: Shape,
  begin: readonly number[],
  sizes: readonly number[],
  steps: readonly number[],
): TypedArray {
  const out = allocLike(x, sizeOf(sizes));
  const inStrides = stridesOf(shape);
  let offset = 0;
  const st = new Array<number>(shape.length);
  for (let d = 0; d < shape.length; d++) {
    offset += begin[d] * inStrides[d];
    st[d] = inStrides[d] * steps[d];
  }
  stridedCopy(x, offset, sizes, st, out);
  return out;
}

/** Pads each dim with `pads[d] = [before, after]` copies of `value`. */
export function padOp(
  x: TypedArray,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
  value: number,
): TypedArray {
  const outShape = shape.map((s, d) => s + pads[d][0] + pads[d][1]);
  const out = allocLike(x, sizeOf(outShape));
  // -0 pads with -0, as torch does (a typed array starts at +0)
  if (value !== 0 || Object.is(value, -0)) out.fill(value);
  if (x.length === 0) return out;
  const outStrides = stridesOf(outShape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += pads[d][0] * outStrides[d];
  scatterCopy(x, shape, out, offset, outStrides);
  return out;
}

/** Writes the contiguous `src` of `shape` into `out` at element `offset` with `strides`. */
function scatterCopy(
  src: TypedArray,
  shape: Shape,
  out: TypedArray,
  offset: number,
  strides: readonly number[],
): void {
  const c = collapseDims(shape, [strides]);
  const dims = c.shape;
  const st = c.strides[0];
  const r = dims.length;
  const n = dims[r - 1];
  const inc = st[r - 1];
  const idx = new Array<number>(r).fill(0);
  let oo = offset;
  for (let so = 0; so < src.length; so += n) {
    if (inc === 1 && n >= SET_MIN) out.set(src.subarray(so, so + n), oo);
    else for (let i = 0; i < n; i++) out[oo + i * inc] = src[so + i];
    for (let d = r - 2; d >= 0; d--) {
      oo += st[d];
      if (++idx[d] < dims[d]) break;
      oo -= st[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/** Joins `xs` (same dtype, equal dims except `axis`) along `axis`. */
export function concatOp(
  xs: readonly TypedArray[],
  shapes: readonly Shape[],
  axis: number,
  out: TypedArray,
): void {
  const shape0 = shapes[0];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape0[d];
  const chunks = shapes.map((s) => {
    let n = 1;
    for (let d = axis; d < s.length; d++) n *= s[d];
    return n;
  });
  let row = 0;
  for (const n of chunks) row += n;
  for (let k = 0, col = 0; k < xs.length; col += chunks[k], k++) {
    const src = xs[k];
    const n = chunks[k];
    if (n === 0) continue;
    for (let o = 0; o < outer; o++) {
      const so = o * n;
      const oo = o * row + col;
      if (n >= SET_MIN) out.set(src.subarray(so, so + n), oo);
      else for (let i = 0; i < n; i++) out[oo + i] = src[so + i];
    }
  }
}
