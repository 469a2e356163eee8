import { type PosOrOpts, req, signature } from '../signature/signature.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A map-style dataset (PyTorch's `torch.utils.data.Dataset`): `length` items addressed by index.
 *
 * ```ts
 * class Squares extends data.Dataset<[Tensor, Tensor]> {
 *   get length() { return 10; }
 *   getItem(i: number) { return [tensor([i]), tensor([i * i])] as [Tensor, Tensor]; }
 * }
 * ```
 */
export abstract class Dataset<T = unknown> {
  /** The item at index `i` (0 ≤ i < length). */
  abstract getItem(i: number): T;
  /** The number of items. */
  abstract get length(): number;
}

/** @internal Throws unless `i` is an integer index into a dataset of `n` items. */
export function checkIndex(op: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new Error(`${op}: index ${i} is out of range for ${n} items`);
}

/**
 * Wraps tensors that share their first dimension; item `i` is `[t0[i], t1[i], …]`. A
 * {@link DataLoader} batches it with one `indexSelect` per tensor instead of stacking samples.
 */
export class TensorDataset extends Dataset<Tensor[]> {
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

  get length(): number {
    return this.tensors[0].shape[0];
  }

  getItem(i: number): Tensor[] {
    checkIndex('TensorDataset.getItem', i, this.length);
    return this.tensors.map((t) => t.narrow(0, i, 1).reshape(t.shape.slice(1)));
  }
}

/** torch.utils.data.Subset(dataset, indices). */
const SUBSET = signature('data.Subset', [
  req('dataset', (v) => (v instanceof Dataset ? null : 'a Dataset')),
  req('indices', (v) =>
    (Array.isArray(v) || ArrayBuffer.isView(v)) && Array.from(v as ArrayLike<unknown>).every(Number.isInteger)
      ? null
      : 'an array of integer indices',
  ),
]);

/** The items of `dataset` at `indices`, in that order (PyTorch's `Subset`). */
export class Subset<T> extends Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: readonly number[];

  constructor(
    dataset: Dataset<T>,
    indices: ArrayLike<number>,
    ...rest: PosOrOpts<[], { dataset?: Dataset<T>; indices?: ArrayLike<number> }>
  ) {
    const opts = SUBSET.parse<{ dataset: Dataset<T>; indices: ArrayLike<number> }>([
      dataset,
      indices,
      ...rest,
    ]);
    dataset = opts.dataset;
    indices = opts.indices;
    super();
    const n = dataset.length;
    this.indices = Array.from(indices);
    for (const i of this.indices) checkIndex('Subset', i, n);
    this.dataset = dataset;
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(i: number): T {
    checkIndex('Subset.getItem', i, this.indices.length);
    return this.dataset.getItem(this.indices[i]);
  }
}
