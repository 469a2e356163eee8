import { Tensor } from '../tensor/tensor.js';
import { maximum, minimum } from './binary.js';
import { cast } from './convert.js';
import { gather } from './indexing.js';
import { amax, amin, argExtremum, type Dims } from './reduce.js';
import { squeeze } from './shape.js';
import { checkTensor } from './util.js';

/**
 * PyTorch's `(values, indices)` result of `max(dim)`, `min(dim)` and the like: named fields,
 * and iterable as the pair, so `const [values, indices] = x.max(1)` works as in Python.
 */
export class ValuesIndices {
  constructor(
    /** The selected values. */
    readonly values: Tensor,
    /** Their positions along the reduced dim (int64). */
    readonly indices: Tensor,
  ) {}

  /** Yields `values`, then `indices`. */
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
}

/**
 * The extremum along one dim with its index. The values are gathered at the indices, so the
 * gradient goes to the selected element only, as PyTorch's `max(dim)` does (`amax` shares it
 * among ties instead).
 */
function withIndices(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  // int32 positions to gather with; the indices returned are int64, as PyTorch's
  const pos = argExtremum(op === 'max' ? 'argmax' : 'argmin', x, dim, true, true);
  let values = x.ndim === 0 ? x : gather(x, dim, pos);
  const indices = cast(pos, 'int64');
  let idx = indices;
  if (!keepdim && x.ndim > 0) {
    values = squeeze(values, dim);
    idx = squeeze(indices, dim);
  }
  return new ValuesIndices(values, idx);
}

function dispatch(
  op: 'max' | 'min',
  x: Tensor,
  dim: Dims | Tensor | undefined,
  keepdim: boolean,
): Tensor | ValuesIndices {
  checkTensor(op, x);
  if (dim instanceof Tensor) return (op === 'max' ? maximum : minimum)(x, dim);
  if (typeof dim === 'number') return withIndices(op, x, dim, keepdim);
  return (op === 'max' ? amax : amin)(x, dim, keepdim);
}

/**
 * PyTorch's `max`: `max(x)` is the largest value (a 0-d tensor); `max(x, dim, keepdim?)` is
 * `{ values, indices }` along `dim` (iterable as `[values, indices]`); `max(x, other)` is
 * {@link maximum}. Several dims (`max(x, [0, 2])`) give the values only, as `amax`.
 *
 * ```ts
 * const [values, indices] = logits.max(1);
 * ```
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dims: readonly number[], keepdim?: boolean): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: Dims | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dispatch('max', x, dim, keepdim);
}

/** PyTorch's `min`, as {@link max}. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dims: readonly number[], keepdim?: boolean): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: Dims | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dispatch('min', x, dim, keepdim);
}
