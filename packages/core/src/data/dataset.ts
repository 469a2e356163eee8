import { type PosOrOpts, req, signature } from '../signature/signature.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * What a DataLoader reads by index: `length` items and `getItem(i)` (PyTorch's map-style
 * dataset, `__len__` and `__getitem__`). {@link Dataset} is the base class to extend; any
 * object of this shape, and a plain array, serve as well.
 */
export interface MapStyleDataset<T = unknown> {
  /** The number of items (PyTorch's `__len__`). */
  readonly length: number;
  /** The item at index `i`, or a Promise of it (then the loader is read with `for await`). */
  getItem(i: number): T | Promise<T>;
}

/**
 * A map-style dataset (PyTorch's `torch.utils.data.Dataset`): `length` items addressed by index.
 *
 * @example
 * ```ts
 * class Squares extends data.Dataset<[Tensor, Tensor]> {
 *   get length() { return 10; }
 *   getItem(i: number) { return [tensor([i]), tensor([i * i])] as [Tensor, Tensor]; }
 * }
 * ```
 */
export abstract class Dataset<T = unknown> implements MapStyleDataset<T> {
  /** The item at index `i` (0 ≤ i < length). */
  abstract getItem(i: number): T;
  /** The number of items. */
  abstract get length(): number;
}

/** @internal True for a map-style dataset: a {@link Dataset}, an object with `length` and `getItem`, or an array. */
export function isMapStyle(ds: unknown): boolean {
  if (Array.isArray(ds) || (ArrayBuffer.isView(ds) && !(ds instanceof DataView))) return true;
  return (
    ds !== null &&
    typeof ds === 'object' &&
    typeof (ds as MapStyleDataset).getItem === 'function' &&
    typeof (ds as MapStyleDataset).length === 'number'
  );
}

/** @internal Reads a map-style dataset (arrays included) through one interface. */
export function asMapStyle<T>(ds: unknown): MapStyleDataset<T> {
  if (Array.isArray(ds) || ArrayBuffer.isView(ds)) {
    const arr = ds as ArrayLike<T>;
    return {
      get length() {
        return arr.length;
      },
      getItem: (i: number) => {
        return arr[resolveIndex('getItem', i, arr.length)];
      },
    };
  }
  return ds as MapStyleDataset<T>;
}

/**
 * @internal The position of index `i` in a dataset of `n` items; a negative index counts from
 * the end, as Python's (and PyTorch's TensorDataset, Subset, ConcatDataset) do. Throws when
 * out of range.
 */
export function resolveIndex(op: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n)
    throw new Error(`${op}: index ${i} is out of range for ${n} items`);
  return i < 0 ? i + n : i;
}

/**
 * Wraps tensors that share their first dimension; item `i` is `[t0[i], t1[i], …]`. A
 * {@link DataLoader} batches it with one `indexSelect` per tensor instead of stacking samples.
 * PyTorch's `TensorDataset`.
 *
 * @throws Error when no tensor is given, an argument is not a tensor or is 0-d, or the first
 *   dimensions differ.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(randn(100, 4), randint(0, 3, [100]));
 * const [x0, y0] = ds.getItem(0); // shapes [4] and []
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The wrapped tensors (PyTorch's `tensors`). */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error('TensorDataset: expected at least one tensor');
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new Error(`TensorDataset: argument ${k} is not a Tensor`);
      if (t.ndim === 0)
        throw new Error(`TensorDataset: tensor ${k} is a scalar; tensors need a first (sample) dimension`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) {
      throw new Error(
        `TensorDataset: size mismatch between tensors: tensor 0 has shape ${fmtShape(tensors[0].shape)} but tensor ${bad} has ${fmtShape(tensors[bad].shape)} (first dimensions must match)`,
      );
    }
    this.tensors = tensors;
  }

  /** The size of the tensors' first dimension. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /**
   * `[t0[i], t1[i], …]`, views of the tensors' rows; a negative `i` counts from the end.
   *
   * @throws Error when `i` is out of range or not an integer.
   */
  getItem(i: number): Tensor[] {
    i = resolveIndex('TensorDataset.getItem', i, this.length);
    return this.tensors.map((t) => t.narrow(0, i, 1).reshape(t.shape.slice(1)));
  }
}

/** torch.utils.data.Subset(dataset, indices). */
const SUBSET = signature('data.Subset', [
  req('dataset', (v) =>
    isMapStyle(v) ? null : 'a map-style dataset (a Dataset, an object with length and getItem, or an array)',
  ),
  req('indices', (v) =>
    (Array.isArray(v) || ArrayBuffer.isView(v)) && Array.from(v as ArrayLike<unknown>).every(Number.isInteger)
      ? null
      : 'an array of integer indices',
  ),
]);

/**
 * The items of `dataset` at `indices`, in that order (PyTorch's `Subset`).
 *
 * @throws Error when `dataset` is not map-style or an index is out of its range.
 *
 * @example
 * ```ts
 * const firstTen = new data.Subset(dataset, [...Array(10).keys()]);
 * ```
 */
export class Subset<T> extends Dataset<T> {
  /** The dataset the items come from (PyTorch's `dataset`). */
  readonly dataset: MapStyleDataset<T> | readonly T[];
  /** The positions in `dataset` (PyTorch's `indices`), a copy of the argument. */
  readonly indices: readonly number[];
  private readonly source: MapStyleDataset<T>;

  constructor(
    dataset: MapStyleDataset<T> | readonly T[],
    indices: ArrayLike<number>,
    ...rest: PosOrOpts<[], { dataset?: MapStyleDataset<T> | readonly T[]; indices?: ArrayLike<number> }>
  ) {
    const opts = SUBSET.parse<{ dataset: MapStyleDataset<T> | readonly T[]; indices: ArrayLike<number> }>([
      dataset,
      indices,
      ...rest,
    ]);
    dataset = opts.dataset;
    indices = opts.indices;
    super();
    const n = dataset.length;
    this.indices = Array.from(indices);
    for (const i of this.indices) resolveIndex('Subset', i, n);
    this.dataset = dataset;
    this.source = asMapStyle<T>(dataset);
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * `dataset`'s item at `indices[i]`; a negative `i` counts from the end.
   *
   * @throws Error when `i` is out of range or not an integer.
   */
  getItem(i: number): T {
    i = resolveIndex('Subset.getItem', i, this.indices.length);
    // A Promise from an asynchronous dataset passes through (the loader awaits it).
    return this.source.getItem(this.indices[i]) as T;
  }
}
