/**
 * Naive references and random geometries for the strided-view primitives
 * (Backend.asStrided / asStridedScatter), shared by the conformance family `strided/*` and the
 * backends' own strided tests (`@proj/backend-tests/strided-reference`). Element
 * (i_0, …, i_n) of a view is `buffer[offset + Σ i_k·strides[k]]`, the buffer read flat.
 */
import { type DType, flatPositions, type Shape, sizeOf, stridesOf } from '@proj/core';

/** A view geometry as the strided cases list them: shape, strides, offset. */
export type ViewCase = readonly [shape: Shape, strides: readonly number[], offset: number];

/** A view geometry with the length of a buffer that holds it. */
export interface RandomView {
  readonly size: number;
  readonly shape: number[];
  readonly strides: number[];
  readonly offset: number;
}

/** `n` consecutive integers from `from`. */
export const iota = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Flat buffer positions of a view's elements, row-major over `shape` (core's `flatPositions`). */
export function viewPositions(shape: Shape, strides: readonly number[], offset: number): number[] {
  return Array.from(flatPositions({ shape, strides, offset }));
}

/** What a dtype stores for `xs`: bool is x != 0; the others hold these small values exactly. */
export const stored = (xs: readonly number[], dtype: DType): number[] =>
  dtype === 'bool' ? xs.map((v) => (v !== 0 ? 1 : 0)) : [...xs];

/** The naive gather: the elements of `buffer` the view reads, in order. */
export function gatherReference(
  buffer: readonly number[],
  shape: Shape,
  strides: readonly number[],
  offset: number,
): number[] {
  return viewPositions(shape, strides, offset).map((p) => buffer[p]);
}

/** The naive scatter: a copy of `base` with the view's elements replaced by `src`, in order. */
export function scatterReference(
  base: readonly number[],
  src: readonly number[],
  shape: Shape,
  strides: readonly number[],
  offset: number,
): number[] {
  const out = base.slice();
  viewPositions(shape, strides, offset).forEach((p, i) => {
    out[p] = src[i];
  });
  return out;
}

/** A small seeded generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Any view of rank up to 4, dims up to 4 and strides up to 7: overlapping windows, stride-0
 * dims, empty and 0-d views included; `size` reaches past its last element by 0 to 2.
 */
export function randomView(rand: () => number): RandomView {
  const r = Math.floor(rand() * 5);
  const shape = iota(r).map(() => Math.floor(rand() * 5));
  const strides = iota(r).map(() => Math.floor(rand() * 8));
  const offset = Math.floor(rand() * 5);
  const last = offset + shape.reduce((acc, s, d) => acc + Math.max(s - 1, 0) * strides[d], 0);
  return { size: last + 1 + Math.floor(rand() * 3), shape, strides, offset };
}

/**
 * A distinct (writable) view: a stepped narrow of a contiguous parent of rank up to 4 and dims
 * up to `maxDim`, its dims permuted, in a buffer with a few elements to spare.
 */
export function randomDistinctView(rand: () => number, maxDim = 6): RandomView {
  const r = Math.floor(rand() * 5);
  const parent = iota(r).map(() => 1 + Math.floor(rand() * maxDim));
  const ps = stridesOf(parent);
  let offset = Math.floor(rand() * 3);
  const dims = parent.map((p, d) => {
    const step = 1 + Math.floor(rand() * 2);
    const begin = Math.floor(rand() * p);
    const n = Math.floor(rand() * (Math.floor((p - 1 - begin) / step) + 2));
    offset += begin * ps[d];
    return { n, s: ps[d] * step };
  });
  for (let i = dims.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [dims[i], dims[j]] = [dims[j], dims[i]];
  }
  const size = Math.floor(rand() * 3) + sizeOf(parent) + 3;
  return { size, shape: dims.map((d) => d.n), strides: dims.map((d) => d.s), offset };
}
