// What the kernel tests (src/kernels/*.test.ts) share for making inputs; not part of the
// package (tsconfig.build.json leaves it out of dist).

/** The number of elements of `shape` (1 for rank 0). */
export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * A deterministic pseudo-random stream in [0, 1) (an LCG), so that a failing case is the same
 * case on the next run.
 *
 * @example
 * ```ts
 * const r = stream(1);
 * const xs = Float32Array.from({ length: 8 }, () => r() * 2 - 1);
 * ```
 */
export function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
