import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultCollate } from './collate.js';
import { type Dataset, Subset, TensorDataset } from './dataset.js';

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the order at the start of every epoch (default false). */
  shuffle?: boolean;
  /** The generator shuffling draws from (default: a fresh one seeded with `seed`, else the default generator). */
  generator?: Generator;
  /** Seeds a private generator for shuffling, so the epochs' orders are reproducible. */
  seed?: number;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of items into a batch (default {@link defaultCollate}). */
  collate?: (items: T[]) => B;
}

/** The batch type the default collate gives for items of type T. */
export type DefaultBatch<T> = T extends Tensor[] ? Tensor[] : T extends Tensor ? Tensor : unknown;

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`). Each `for … of` is one epoch;
 * with `shuffle` each epoch draws a new permutation from the generator. Batches are new
 * tensors owned by the caller (dispose them, or iterate inside `tidy`).
 *
 * ```ts
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 0 });
 * for (const [xb, yb] of loader) { … }
 * ```
 */
export class DataLoader<T = unknown, B = DefaultBatch<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  private readonly collate: ((items: T[]) => B) | undefined;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    const bs = opts.batchSize ?? 1;
    if (!Number.isInteger(bs) || bs < 1)
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${bs}`);
    this.dataset = dataset;
    this.batchSize = bs;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator =
      opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
    this.collate = opts.collate;
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const idx = order.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize));
      yield this.batch(idx);
    }
  }

  private batch(idx: Int32Array): B {
    // Per-sample views and index tensors are freed here; only the batch survives.
    return tidy(() => {
      if (!this.collate) {
        const fast = tensorSource(this.dataset, idx);
        if (fast) return fast as B;
      }
      const items = Array.from(idx, (i) => this.dataset.getItem(i));
      return (this.collate ?? (defaultCollate as (items: T[]) => B))(items);
    });
  }
}

/** One indexSelect per tensor when the dataset is a TensorDataset (or a Subset of one). */
function tensorSource(dataset: Dataset<unknown>, idx: Int32Array): Tensor[] | null {
  let ds = dataset;
  let map = idx;
  while (ds instanceof Subset) {
    const indices = ds.indices;
    map = map.map((i) => indices[i]);
    ds = ds.dataset;
  }
  if (!(ds instanceof TensorDataset)) return null;
  const rows = Int32Array.from(map);
  return ds.tensors.map((t) =>
    t.indexSelect(0, fromArray('DataLoader', rows, [rows.length], 'int32', { device: t.device })),
  );
}
