import type { Reduction } from '../functional/losses.js';

/**
 * The reduction of a loss module that is not a {@link Loss} (its forward takes other than
 * `(input, target)`), 'mean' when not given; `name` is the class in the error.
 */
export function checkReduction(name: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new Error(`${name}: reduction must be 'mean', 'sum' or 'none', got '${r}'`);
  }
  return r;
}
