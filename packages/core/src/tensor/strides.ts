import type { Shape } from '../backend/types.js';
import { stridesOf } from './shape.js';

/**
 * Where a tensor's elements live in its storage, as in PyTorch: element `(i_0, …, i_n)` is at
 * `offset + Σ i_k · strides[k]` (in elements). Views (transpose, narrow, expand, …) are new
 * geometries over the same storage.
 */
export interface Geometry {
  /** Sizes of the dims. */
  readonly shape: Shape;
  /** Elements to skip in the storage to move by one along each dim (0 for an expanded dim). */
  readonly strides: readonly number[];
  /** Position of element `(0, …, 0)` in the storage, in elements. */
  readonly offset: number;
}

/**
 * PyTorch's `is_contiguous()`: strides are row-major, ignoring dims of size 1 (whose stride
 * never matters). Empty tensors are contiguous. A contiguous view of `n` elements is the run
 * `[offset, offset + n)` of its storage.
 *
 * @example
 * ```ts
 * isContiguousGeometry([2, 1, 3], [3, 7, 1]); // true
 * isContiguousGeometry([2, 3], [4, 1]); // false: rows 4 apart
 * ```
 */
export function isContiguousGeometry(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    if (d === 0) return true;
    if (d === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * The strides that make `newShape` a view of a tensor with `oldShape`/`oldStrides`, or null
 * when none exists (the view would span two non-contiguous runs). PyTorch's
 * `computeStride` (aten/src/ATen/TensorUtils.cpp): `view` throws on null, `reshape` copies.
 */
export function viewStrides(
  oldShape: Shape,
  oldStrides: readonly number[],
  newShape: Shape,
): number[] | null {
  const numel = oldShape.reduce((a, b) => a * b, 1);
  if (numel === 0) {
    // Any strides do for an empty tensor; PyTorch keeps the contiguous ones.
    return stridesOf(newShape);
  }
  // A 0-d tensor views as any all-ones shape.
  if (oldShape.length === 0) return newShape.map(() => 1);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  // Stride of the last element of the current chunk of old dims.
  let chunkBaseStride = oldStrides.length > 0 ? oldStrides[oldStrides.length - 1] : 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD];
    // A chunk ends where the old dims stop being contiguous with one another.
    if (
      tensorD === 0 ||
      (oldShape[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)
    ) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

/** Whether two elements of the geometry share a storage position (a stride-0 dim of size > 1). */
export function hasInternalOverlap(shape: Shape, strides: readonly number[]): boolean {
  // An empty tensor has no elements to overlap (reshape gives [n, 0] strides [0, 1]).
  if (shape.includes(0)) return false;
  for (let i = 0; i < shape.length; i++) if (strides[i] === 0 && shape[i] > 1) return true;
  return false;
}

/** The smallest storage length (in elements) that holds every element of the geometry. */
export function storageExtent(g: Geometry): number {
  let last = g.offset;
  for (let i = 0; i < g.shape.length; i++) {
    if (g.shape[i] === 0) return 0;
    last += (g.shape[i] - 1) * g.strides[i];
  }
  return last + 1;
}

/**
 * The storage position of every element of a view, in row-major order of its shape: entry `k`
 * is `offset + Σ i_d · strides[d]` for the `k`-th multi-index `(i_0, …, i_n)`. A 0-d view gives
 * `[offset]`, an empty one `[]`. Backends use it for gather/scatter indices of strided views,
 * tests as the naive reference of `asStrided`.
 *
 * @param g - the view's shape, strides and offset, in elements
 * @returns one position per element (positions repeat where a stride is 0)
 *
 * @example
 * ```ts
 * flatPositions({ shape: [2, 3], strides: [1, 2], offset: 1 }); // Int32Array [1, 3, 5, 2, 4, 6]
 * ```
 */
export function flatPositions(g: Geometry): Int32Array {
  const { shape, strides } = g;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Int32Array(n);
  if (n === 0) return out;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let pos = g.offset;
  for (let i = 0; i < n; i++) {
    out[i] = pos;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        pos += strides[d];
        break;
      }
      pos -= (shape[d] - 1) * strides[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Throws unless `strides`/`offset` describe a view (one non-negative integer stride per dim)
 * whose every element lies in a buffer of `length` elements. Core checks views before calling
 * a backend's strided primitives; backends call this too (O(rank)) so that a bad call fails with
 * this message instead of reading past the end.
 */
export function checkStridedView(
  op: string,
  length: number,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): void {
  if (strides.length !== shape.length)
    throw viewError(op, shape, strides, offset, `: expected one stride per dim (${shape.length})`);
  if (!Number.isInteger(offset) || offset < 0 || strides.some((s) => !Number.isInteger(s) || s < 0))
    throw viewError(op, shape, strides, offset, ': offset and strides must be integers >= 0');
  const extent = storageExtent({ shape, strides, offset });
  if (extent > length) {
    throw viewError(
      op,
      shape,
      strides,
      offset,
      ` reaches element ${extent - 1} of a buffer of ${length} elements`,
    );
  }
}

/** The error of {@link checkStridedView}, built only when a check fails (it runs on every view read). */
function viewError(
  op: string,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  what: string,
): Error {
  const fmt = (a: readonly number[]) => `[${a.join(',')}]`;
  return new Error(`${op}: view of shape ${fmt(shape)}, strides ${fmt(strides)}, offset ${offset}${what}`);
}
