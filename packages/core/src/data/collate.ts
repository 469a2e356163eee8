import { stack } from '../ops/join.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * PyTorch's `default_collate`: stacks tensors along a new first dimension, turns numbers into
 * a 1-D tensor (int64 when all are integers, as PyTorch's, else float32) and booleans into a bool tensor,
 * and recurses into arrays (position by position) and plain objects (key by key).
 */
export function defaultCollate(items: readonly unknown[]): unknown {
  if (items.length === 0) throw new Error('defaultCollate: got an empty batch');
  const first = items[0];
  if (first instanceof Tensor) {
    if (!items.every((x) => x instanceof Tensor))
      throw new Error('defaultCollate: batch mixes tensors and other values');
    return stack(items as Tensor[]);
  }
  if (typeof first === 'number') {
    const nums = items as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float32' });
  }
  if (typeof first === 'boolean') return tensor(items as boolean[]);
  if (Array.isArray(first)) {
    const n = first.length;
    if (!items.every((x) => Array.isArray(x) && x.length === n)) {
      throw new Error('defaultCollate: each item in the batch must have the same number of elements');
    }
    return first.map((_, k) => defaultCollate(items.map((x) => (x as unknown[])[k])));
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first))
      out[key] = defaultCollate(items.map((x) => (x as Record<string, unknown>)[key]));
    return out;
  }
  if (typeof first === 'string') return [...items];
  throw new Error(
    `defaultCollate: cannot batch items of type ${first === null ? 'null' : typeof first} (pass a collate function)`,
  );
}
