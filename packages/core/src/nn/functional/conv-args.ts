// Argument handling shared by the convolution and pooling functions: pairs and the input
// checks (output sizes are in backend/shapes.ts), so every op reports bad arguments in the same words.

import { checkFloat, checkTensor } from '../../ops/util.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A shape as `[a, b, c]`, the form the nn functions' error messages use. */
export const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** A value for both spatial dims, or one per dim (`[h, w]`). */
export type Pair = number | readonly [number, number] | readonly number[];

/** Expands a {@link Pair} to `[h, w]`, checking each entry is an integer >= `min`. */
export function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= min)) {
    throw new Error(
      `${op}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return [p[0], p[1]];
}

/** Expands a 1-D argument (a number or a one-element list). */
export function single(op: string, name: string, v: number | readonly number[], min: number): number {
  const d = typeof v === 'number' ? v : v.length === 1 ? v[0] : Number.NaN;
  if (!Number.isInteger(d) || d < min) {
    throw new Error(`${op}: ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return d;
}

/**
 * Expands an int-or-tuple argument to `n` entries (one value for every spatial dim, or one per
 * dim, as PyTorch's `_single`/`_pair`/`_triple`), checking each is an integer >= `min`.
 */
export function ntuple(
  op: string,
  name: string,
  v: number | readonly number[],
  n: number,
  min: number,
): number[] {
  const p = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (p.length !== n || !p.every((d) => Number.isInteger(d) && d >= min)) {
    throw new Error(
      `${op}: ${name} must be an integer >= ${min} or a tuple of ${n} of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

/** Checks `x` is a live float tensor of rank `rank`, naming the expected layout otherwise. */
export function checkInput(op: string, x: Tensor, rank: number, layout: string): void {
  checkTensor(op, x);
  if (x.ndim !== rank) throw new Error(`${op}: expected input ${layout}, got ${fmtShape(x.shape)}`);
  checkFloat(op, x);
}
