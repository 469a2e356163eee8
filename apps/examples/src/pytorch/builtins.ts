// Python builtins the ported examples use that JavaScript lacks.
import { Tensor } from '@proj/core';

/** Python's `enumerate(iterable, start=0)`: yields `[index, item]`. */
export function* enumerate<T>(items: Iterable<T>, start = 0): Generator<[number, T]> {
  let i = start;
  for (const item of items) yield [i++, item];
}

/** Python's `range(stop)` / `range(start, stop, step)` as an array. */
export function range(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new Error('range: step must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/**
 * The options every ported example's `run` takes: `fast` selects the small configuration the
 * tests use; `argv` are command-line flags as the original script takes them (plus `--limit`
 * and `--test-limit`, ours, to train and test on the first images only).
 */
export interface RunOptions {
  fast: boolean;
  argv?: readonly string[];
}

/** Python's `len(x)`: a tensor's first dimension, else the `length` of an array, dataset or loader. */
export function len(x: unknown): number {
  if (x instanceof Tensor) return x.size(0);
  const n = (x as { length?: unknown } | null)?.length;
  if (typeof n !== 'number') throw new TypeError(`len: object of type ${describe(x)} has no len()`);
  return n;
}

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? typeof x : (x.constructor?.name ?? 'object');
}

/**
 * Yields each batch of `loader` and disposes its tensors when the loop moves on (or breaks):
 * PyTorch frees a batch when its last reference goes; here the loop says when.
 */
export function* freeing<B>(loader: Iterable<B>): Generator<B> {
  for (const batch of loader) {
    try {
      yield batch;
    } finally {
      disposeAll(batch);
    }
  }
}

function disposeAll(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) for (const x of v) disposeAll(x);
}
