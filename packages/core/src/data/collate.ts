import { stack } from '../ops/join.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/** A typed array (NumPy arrays' counterpart: collated into a tensor of its dtype). */
function isTypedArray(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

/**
 * PyTorch's `default_collate`: turns a list of samples into a batch, recursively.
 * - Tensors are stacked along a new first dimension (shapes must match).
 * - Typed arrays (NumPy arrays' counterpart) become tensors of their dtype, stacked.
 * - Numbers become a 1-D tensor: int64 when all are integers (Python ints), else float32
 *   (JS numbers do not say int or float; PyTorch makes Python floats float64). Booleans become
 *   a bool tensor, bigints an int64 tensor.
 * - Strings stay a list of strings.
 * - Arrays (Python's sequences and tuples) are collated position by position: a list of
 *   `[x, y]` samples gives `[xs, ys]`; every sample must have the same number of elements.
 * - Plain objects (Python's dicts) and `Map`s are collated key by key, with the first sample's keys.
 *
 * @throws Error for an empty batch, samples of different kinds or lengths, tensors of
 *   different shapes, or a value it cannot collate.
 *
 * @example
 * ```ts
 * data.defaultCollate([{ x: tensor([1, 2]), y: 0 }, { x: tensor([3, 4]), y: 1 }]);
 * // { x: tensor([[1, 2], [3, 4]]), y: tensor([0, 1]) }
 * ```
 */
export function defaultCollate(items: readonly unknown[]): unknown {
  if (items.length === 0) throw new Error('defaultCollate: got an empty batch');
  const first = items[0];
  if (first instanceof Tensor) {
    const bad = items.findIndex((x) => !(x instanceof Tensor));
    if (bad >= 0)
      throw new Error(
        `defaultCollate: batch mixes tensors and other values (item ${bad} is a ${kindOf(items[bad])})`,
      );
    return stack(items as Tensor[]);
  }
  if (isTypedArray(first)) {
    return stack(
      items.map((x, k) => {
        if (!isTypedArray(x))
          throw new Error(`defaultCollate: item ${k} is a ${kindOf(x)}, item 0 a typed array`);
        return tensor(x as never);
      }),
    );
  }
  if (typeof first === 'number') {
    const bad = items.findIndex((x) => typeof x !== 'number');
    if (bad >= 0) throw new Error(`defaultCollate: item ${bad} is a ${kindOf(items[bad])}, item 0 a number`);
    const nums = items as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float32' });
  }
  if (typeof first === 'boolean' || typeof first === 'bigint') {
    const bad = items.findIndex((x) => typeof x !== typeof first);
    if (bad >= 0)
      throw new Error(`defaultCollate: item ${bad} is a ${kindOf(items[bad])}, item 0 a ${typeof first}`);
    return tensor(items as boolean[]);
  }
  if (typeof first === 'string') return [...items];
  if (Array.isArray(first)) {
    const n = first.length;
    if (!items.every((x) => Array.isArray(x) && x.length === n)) {
      throw new Error('defaultCollate: each element in list of batch should be of equal size');
    }
    return first.map((_, k) => defaultCollate(items.map((x) => (x as unknown[])[k])));
  }
  if (first instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const key of first.keys()) {
      out.set(
        key,
        defaultCollate(
          items.map((x, k) => {
            if (!(x instanceof Map) || !x.has(key))
              throw new Error(`defaultCollate: item ${k} has no key ${String(key)} (item 0 has)`);
            return x.get(key);
          }),
        ),
      );
    }
    return out;
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = defaultCollate(
        items.map((x, k) => {
          if (!isPlainObject(x) || !Object.hasOwn(x, key))
            throw new Error(`defaultCollate: item ${k} has no key '${key}' (item 0 has)`);
          return x[key];
        }),
      );
    }
    return out;
  }
  throw new Error(
    `defaultCollate: batch must contain tensors, typed arrays, numbers, booleans, strings, arrays or objects; found ${kindOf(first)} (pass a collateFn)`,
  );
}

/**
 * PyTorch's `default_convert`, what a DataLoader with `batchSize: null` (no batching) applies
 * to each item: typed arrays become tensors (as NumPy arrays do in PyTorch), inside arrays,
 * objects and Maps too; everything else is returned unchanged.
 *
 * @example
 * ```ts
 * data.defaultConvert({ x: new Float32Array([1, 2]), label: 'cat' }); // { x: tensor([1, 2]), label: 'cat' }
 * ```
 */
export function defaultConvert(item: unknown): unknown {
  if (item instanceof Tensor) return item;
  if (isTypedArray(item)) return tensor(item as never);
  if (Array.isArray(item)) return item.map(defaultConvert);
  if (item instanceof Map) return new Map([...item].map(([k, v]) => [k, defaultConvert(v)]));
  if (isPlainObject(item)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) out[k] = defaultConvert(v);
    return out;
  }
  return item;
}
