import type { DType, Shape, TensorInfo } from '@proj/core';
import { CpuBackend } from '../src/cpu-backend.js';

/** One backend instance per test file; tests talk to it only through the Backend interface. */
export const be = new CpuBackend();

/** Uploads `values` as a tensor of `shape` and `dtype`. */
export function t(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { handle: be.write(Float64Array.from(values), shape, dtype), shape, dtype };
}

/** Wraps a handle returned by an op into a TensorInfo. */
export function info(handle: unknown, shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { handle, shape, dtype };
}

/** Reads a handle back as a plain number array (int64's bigints as numbers). */
export function read(handle: unknown, shape: Shape = [], dtype: DType = 'float32'): number[] {
  return Array.from(be.readSync({ handle, shape, dtype }), Number);
}

/** A small seeded generator (mulberry32) so failures reproduce: the one the conformance suite uses. */
export { rng } from '@proj/backend-tests/strided-reference';

/** `n` uniform values in [lo, hi). */
export function randArray(rand: () => number, n: number, lo = -2, hi = 2): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/** Element count of a shape: core's `sizeOf`, under the name the tests use. */
export { sizeOf as numel } from '@proj/core';

/** Row-major multi-index of flat position `i`. */
export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat position of multi-index `idx`. */
export function ravel(idx: readonly number[], shape: Shape): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d] + idx[d];
  return p;
}

/** Element-wise closeness with NaN == NaN, for float results. */
export function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-5): void {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} != expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      throw new Error(`at ${i}: got ${a}, expected ${e} (tol ${tol})`);
    }
  }
}
