// clampMin and clampMax: clamp with one bound (table entries, ops/table.ts).
import type { Tensor } from '../tensor/tensor.js';
import { clamp } from './binary.js';
import { c, defineOps, type TableMethods, t } from './table.js';
import type { TensorLike } from './util.js';

/**
 * `max(input, min)` elementwise with broadcasting: {@link clamp} with a lower bound only
 * (PyTorch's `clamp_min`). The gradient flows where `input >= min`.
 *
 * ```ts
 * clampMin(tensor([-1, 0.5, 2]), 0); // tensor([0.0000, 0.5000, 2.0000])
 * ```
 */
export function clampMin(input: Tensor, min: TensorLike): Tensor {
  return clamp(input, min, null);
}

/** `min(input, max)` elementwise with broadcasting: {@link clamp} with an upper bound only (PyTorch's `clamp_max`). */
export function clampMax(input: Tensor, max: TensorLike): Tensor {
  return clamp(input, null, max);
}

const boundCases = [
  c('number', [t([3, 4], 'distinct')], [0.25]),
  c('tensor', [t([3, 4], 'distinct'), t([3, 4], 'distinct')]),
  c('broadcast', [t([2, 3], 'distinct'), t([3], 'distinct')]),
  c('int', [t([5], 'smallint', { dtype: 'int64' })], [0]),
  c('int_float_bound', [t([5], 'smallint', { dtype: 'int64' })], [0.5]),
];

const OPS = defineOps({
  clampMin: { fn: clampMin, cases: boundCases },
  clampMax: { fn: clampMax, cases: boundCases },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./clamp-bounds.js'), typeof OPS> {}
}
