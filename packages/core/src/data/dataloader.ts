import {
  any,
  bool,
  ext,
  fn,
  int,
  kw,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultCollate } from './collate.js';
import { type Dataset, Subset, TensorDataset } from './dataset.js';

const NO_WORKERS = 'worker processes are not implemented: batches are built in the calling thread';

/**
 * torch.utils.data.DataLoader(dataset, batch_size=1, shuffle=None, sampler=None,
 * batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False,
 * timeout=0, worker_init_fn=None, multiprocessing_context=None, generator=None, *,
 * prefetch_factor=2, persistent_workers=False, pin_memory_device='').
 */
const DATA_LOADER = signature('data.DataLoader', [
  req('dataset', any),
  opt('batchSize', int),
  opt('shuffle', optional(bool)),
  opt('sampler', onlyDefault(null, 'custom samplers are not implemented; use shuffle and generator')),
  opt('batchSampler', onlyDefault(null, 'batch samplers are not implemented; use batchSize and dropLast')),
  opt('numWorkers', onlyDefault(0, NO_WORKERS)),
  opt('collateFn', optional(fn)),
  opt('pinMemory', onlyDefault(false, 'pinned host memory is not implemented')),
  opt('dropLast', bool),
  opt('timeout', onlyDefault(0, NO_WORKERS)),
  opt('workerInitFn', onlyDefault(null, NO_WORKERS)),
  opt('multiprocessingContext', onlyDefault(null, NO_WORKERS)),
  opt(
    'generator',
    optional((v) => (v instanceof Generator ? null : 'a Generator')),
  ),
  kw('prefetchFactor', onlyDefault(2, NO_WORKERS)),
  kw('persistentWorkers', onlyDefault(false, NO_WORKERS)),
  kw('pinMemoryDevice', onlyDefault('', 'pinned host memory is not implemented')),
  ext('seed', int),
]);

/**
 * Options of {@link DataLoader}: PyTorch's parameters by name. Those about samplers, worker
 * processes and pinned memory take only PyTorch's default (what this loader does).
 */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the order at the start of every epoch (default false). */
  shuffle?: boolean | null;
  /** Not implemented: null only. */
  sampler?: null;
  /** Not implemented: null only. */
  batchSampler?: null;
  /** Not implemented: 0 only (batches are built in the calling thread). */
  numWorkers?: 0;
  /** Turns a list of items into a batch (default {@link defaultCollate}). */
  collateFn?: ((items: T[]) => B) | null;
  /** Not implemented: false only. */
  pinMemory?: false;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Not implemented (no workers): 0 only. */
  timeout?: 0;
  /** Not implemented (no workers): null only. */
  workerInitFn?: null;
  /** Not implemented (no workers): null only. */
  multiprocessingContext?: null;
  /**
   * The generator shuffling draws from (default: the default generator); pass
   * `new Generator(seed)` for reproducible epoch orders.
   */
  generator?: Generator | null;
  /** Not implemented (no workers): 2 only. */
  prefetchFactor?: 2;
  /** Not implemented (no workers): false only. */
  persistentWorkers?: false;
  /** Not implemented: '' only. */
  pinMemoryDevice?: '';
  /** Ours (not PyTorch's): shuffle with a fresh `new Generator(seed)`. */
  seed?: number;
}

/** The batch type the default collate gives for items of type T. */
export type DefaultBatch<T> = T extends Tensor[] ? Tensor[] : T extends Tensor ? Tensor : unknown;

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`). Each `for … of` is one epoch;
 * with `shuffle` each epoch draws a new permutation from the generator. Batches are new
 * tensors owned by the caller (dispose them, or iterate inside `tidy`).
 *
 * ```ts
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), 32, true); // or { batchSize: 32, shuffle: true }
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

  constructor(
    dataset: Dataset<T>,
    ...rest: PosOrOpts<
      [
        batchSize: number,
        shuffle: boolean | null,
        sampler: null,
        batchSampler: null,
        numWorkers: 0,
        collateFn: ((items: T[]) => B) | null,
        pinMemory: false,
        dropLast: boolean,
        timeout: 0,
        workerInitFn: null,
        multiprocessingContext: null,
        generator: Generator | null,
      ],
      DataLoaderOptions<T, B>
    >
  ) {
    const opts = DATA_LOADER.parse<DataLoaderOptions<T, B> & { dataset: Dataset<T> }>([dataset, ...rest]);
    dataset = opts.dataset;
    const bs = opts.batchSize ?? 1;
    if (!Number.isInteger(bs) || bs < 1)
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${bs}`);
    this.dataset = dataset;
    this.batchSize = bs;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    if (opts.generator != null && opts.seed !== undefined)
      throw new TypeError('DataLoader: give either generator or seed, not both');
    this.generator =
      opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
    this.collate = opts.collateFn ?? undefined;
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
