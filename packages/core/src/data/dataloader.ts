import {
  any,
  bool,
  either,
  ext,
  fn,
  int,
  kw,
  num,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultCollate, defaultConvert } from './collate.js';
import { type BatchPass, DONE, isThenable, openPass, swallow } from './dataloader-pass.js';
import {
  asMapStyle,
  isMapStyle,
  type MapStyleDataset,
  resolveIndex,
  Subset,
  TensorDataset,
} from './dataset.js';
import { ITERABLE_STUB, iterableKind } from './iterable-dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler } from './samplers.js';

const iterable = (v: unknown) =>
  v !== null && typeof (v as Iterable<unknown>)?.[Symbol.iterator] === 'function'
    ? null
    : 'a Sampler or an iterable of indices';

/**
 * torch.utils.data.DataLoader(dataset, batch_size=1, shuffle=None, sampler=None,
 * batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False,
 * timeout=0, worker_init_fn=None, multiprocessing_context=None, generator=None, *,
 * prefetch_factor=2, persistent_workers=False, pin_memory_device='').
 */
const DATA_LOADER = signature('data.DataLoader', [
  req('dataset', any),
  opt('batchSize', optional(int)),
  opt('shuffle', optional(bool)),
  opt('sampler', optional(iterable)),
  opt('batchSampler', optional(iterable)),
  opt('numWorkers', int),
  opt('collateFn', optional(fn)),
  opt('pinMemory', bool),
  opt('dropLast', bool),
  opt('timeout', num),
  opt(
    'workerInitFn',
    onlyDefault(
      null,
      'there are no worker processes to initialise: items load in this thread (numWorkers only sets how many asynchronous batches load at once)',
    ),
  ),
  opt('multiprocessingContext', onlyDefault(null, 'there are no worker processes')),
  opt(
    'generator',
    optional((v) => (v instanceof Generator ? null : 'a Generator')),
  ),
  kw(
    'prefetchFactor',
    either(int, (v) => (v === null ? null : 'null')),
  ),
  kw('persistentWorkers', bool),
  kw('pinMemoryDevice', str),
  ext('seed', int),
]);

/** What a DataLoader reads: a map-style dataset (or array), or a sync or async iterable of items. */
export type DataLoaderDataset<T> = MapStyleDataset<T> | readonly T[] | Iterable<T> | AsyncIterable<T>;

/** Options of {@link DataLoader}: PyTorch's parameters by name. */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1); `null` turns batching off (each item is one "batch"). */
  batchSize?: number | null;
  /** Reshuffle the order at the start of every pass (default false; map-style datasets only). */
  shuffle?: boolean | null;
  /** The order of indices (a Sampler or any iterable of indices); excludes `shuffle`. */
  sampler?: Iterable<number> | null;
  /** Lists of indices, one per batch; excludes batchSize, shuffle, sampler and dropLast. */
  batchSampler?: Iterable<readonly number[]> | null;
  /**
   * PyTorch's worker processes load batches in parallel, in order. Here items load in this
   * thread; with `numWorkers > 0` and an asynchronous `getItem` (read with `for await`), up to
   * `numWorkers * prefetchFactor` batches load at once. The batches are the same either way.
   * Iterable-style datasets take 0 only (PyTorch would give every worker a copy of the stream).
   */
  numWorkers?: number;
  /** Turns a list of items into a batch (default {@link defaultCollate}, or {@link defaultConvert} without batching). */
  collateFn?: ((items: T[]) => B) | null;
  /** Accepted; no effect (there is no pinned host memory here; the batches are the same). */
  pinMemory?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Seconds to wait for an asynchronous batch before failing (default 0: no limit; needs numWorkers > 0, as in PyTorch). */
  timeout?: number;
  /** Not supported: null only (no worker processes). */
  workerInitFn?: null;
  /** Not supported: null only (no worker processes). */
  multiprocessingContext?: null;
  /**
   * The generator shuffling draws from (default: the default generator); pass
   * `new Generator(seed)` for reproducible epoch orders.
   */
  generator?: Generator | null;
  /** Batches each worker loads ahead (default 2; needs numWorkers > 0, as in PyTorch). */
  prefetchFactor?: number | null;
  /** Accepted with numWorkers > 0; no effect (there are no worker processes to keep). */
  persistentWorkers?: boolean;
  /** Accepted; no effect (see pinMemory). */
  pinMemoryDevice?: string;
  /** Ours (not PyTorch's): shuffle with a fresh `new Generator(seed)`. */
  seed?: number;
}

/** The batch type the default collate gives for items of type T. */
export type DefaultBatch<T> = T extends Tensor[] ? Tensor[] : T extends Tensor ? Tensor : unknown;

const ASYNC_HINT = 'iterate with for await (const batch of loader)';

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`), with PyTorch's parameters in
 * PyTorch's order or by name. Each pass (`for … of`, or `for await … of`) is one epoch;
 * with `shuffle` each epoch draws a new permutation from the generator.
 *
 * Map-style datasets (a {@link Dataset}, an object with `length` and `getItem`, an array)
 * are read by the indices of a sampler: `SequentialSampler`, `RandomSampler` with `shuffle`,
 * or the given `sampler`, grouped by `BatchSampler(sampler, batchSize, dropLast)` (or the
 * given `batchSampler`). Iterable-style datasets (an {@link IterableDataset}, any iterable or
 * async iterable) are read in their own order, `batchSize` items at a time. Batches are built
 * by `collateFn`, by default {@link defaultCollate} (PyTorch's `default_collate`).
 *
 * Synchronous datasets iterate with `for … of`; an async iterable, or a `getItem` that
 * returns Promises, needs `for await … of` (a synchronous pass says so). Batches are new
 * tensors owned by the caller (dispose them, or iterate inside `tidy`); per-item tensors that
 * a synchronous dataset creates are freed once the batch is built. Items a dataset produces
 * asynchronously are the dataset's: the loader frees only what it creates.
 *
 * @throws Error, with PyTorch's messages, for contradictory options: `sampler` with
 *   `shuffle`; `batchSampler` with `batchSize`, `shuffle`, `sampler` or `dropLast`;
 *   `batchSize: null` with `dropLast`; `shuffle`, a sampler or `numWorkers > 0` with an
 *   iterable-style dataset; `timeout`, `prefetchFactor` or `persistentWorkers` without workers;
 *   both `generator` and `seed`; a `workerInitFn` or `multiprocessingContext`.
 *
 * @example
 * ```ts
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), 32, true); // or { batchSize: 32, shuffle: true }
 * for (const [xb, yb] of loader) console.log(xb.shape, yb.shape);
 * const balanced = new data.DataLoader(ds, { batchSize: 32, sampler: new data.WeightedRandomSampler(w, ds.length) });
 * ```
 */
export class DataLoader<T = unknown, B = DefaultBatch<T>> implements Iterable<B>, AsyncIterable<B> {
  /** The dataset read (PyTorch's `dataset`). */
  readonly dataset: DataLoaderDataset<T>;
  /** Items per batch, or null when batching is off (also with a `batchSampler`, as in PyTorch). */
  readonly batchSize: number | null;
  /** Whether each pass draws a new order (the `shuffle` option, default false). */
  readonly shuffle: boolean;
  /** Whether the last batch is dropped when smaller than `batchSize` (default false). */
  readonly dropLast: boolean;
  /** The index sampler of a map-style dataset (the given one, RandomSampler or SequentialSampler); null for iterable-style. */
  readonly sampler: Iterable<number> | null;
  /** The batch sampler of a map-style dataset when batching (given, or BatchSampler(sampler, batchSize, dropLast)). */
  readonly batchSampler: Iterable<readonly number[]> | null;
  /**
   * How many workers' worth of asynchronous batches load at once (default 0; see
   * {@link DataLoaderOptions.numWorkers}).
   */
  readonly numWorkers: number;
  /** What builds a batch: the given collateFn, defaultCollate, or defaultConvert without batching. */
  readonly collateFn: (items: any) => B;
  /** PyTorch's `pin_memory`, kept as given (default false); it has no effect here. */
  readonly pinMemory: boolean;
  /** Seconds to wait for an asynchronous batch (default 0: no limit). */
  readonly timeout: number;
  /** Batches each worker loads ahead (default 2). */
  readonly prefetchFactor: number;
  /** PyTorch's `persistent_workers`, kept as given (default false); it has no effect here. */
  readonly persistentWorkers: boolean;
  /** The generator shuffling draws from. */
  readonly generator: Generator;
  /** @internal The map-style view of the dataset; null for iterable-style. */
  readonly _map: MapStyleDataset<T> | null;
  private readonly defaultCollation: boolean;
  private passes = 0;

  constructor(
    dataset: DataLoaderDataset<T>,
    ...rest: PosOrOpts<
      [
        batchSize: number | null,
        shuffle: boolean | null,
        sampler: Iterable<number> | null,
        batchSampler: Iterable<readonly number[]> | null,
        numWorkers: number,
        collateFn: ((items: T[]) => B) | null,
        pinMemory: boolean,
        dropLast: boolean,
        timeout: number,
        workerInitFn: null,
        multiprocessingContext: null,
        generator: Generator | null,
      ],
      DataLoaderOptions<T, B>
    >
  ) {
    const o = DATA_LOADER.parse<DataLoaderOptions<T, B> & { dataset: DataLoaderDataset<T> }>([
      dataset,
      ...rest,
    ]);
    dataset = o.dataset;
    const mapStyle = isMapStyle(dataset);
    if (!mapStyle && iterableKind(dataset) === null) {
      throw new Error(
        `DataLoader: dataset must be a map-style dataset (length and getItem, or an array) or an iterable (sync or async), got ${describe(dataset)}`,
      );
    }
    const numWorkers = o.numWorkers ?? 0;
    if (numWorkers < 0) {
      throw new Error(
        'DataLoader: numWorkers option should be non-negative; use numWorkers=0 to disable multiprocessing',
      );
    }
    const timeout = o.timeout ?? 0;
    if (!(timeout >= 0)) throw new Error('DataLoader: timeout option should be non-negative');
    if (numWorkers === 0 && timeout > 0) {
      throw new Error(
        'DataLoader: timeout applies to worker loading: it needs numWorkers > 0 (as in PyTorch)',
      );
    }
    if (numWorkers === 0 && o.prefetchFactor != null && o.prefetchFactor !== 2) {
      throw new Error(
        'DataLoader: prefetchFactor option could only be specified in multiprocessing; let numWorkers > 0 to enable it',
      );
    }
    const prefetchFactor = o.prefetchFactor ?? 2;
    if (prefetchFactor <= 0)
      throw new Error(`DataLoader: prefetchFactor must be positive, got ${prefetchFactor}`);
    if (o.persistentWorkers && numWorkers === 0) {
      throw new Error('DataLoader: persistentWorkers option needs numWorkers > 0');
    }
    const batchSizeGiven = o.batchSize !== undefined;
    let batchSize: number | null = batchSizeGiven ? (o.batchSize as number | null) : 1;
    if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new Error(`DataLoader: batchSize must be a positive integer or null, got ${batchSize}`);
    }
    let dropLast = o.dropLast ?? false;
    const shuffle = o.shuffle ?? false;
    let sampler = o.sampler ?? null;
    let batchSampler = o.batchSampler ?? null;
    if (!mapStyle) {
      if (o.shuffle != null && o.shuffle !== false) {
        throw new Error(
          `DataLoader with an iterable-style dataset: expected unspecified shuffle option, but got shuffle=${o.shuffle} (the dataset decides the order)`,
        );
      }
      if (sampler !== null) {
        throw new Error('DataLoader with an iterable-style dataset: expected unspecified sampler option');
      }
      if (batchSampler !== null) {
        throw new Error(
          'DataLoader with an iterable-style dataset: expected unspecified batchSampler option',
        );
      }
      if (numWorkers > 0) {
        throw new Error(
          `DataLoader: numWorkers=${numWorkers} with an iterable-style dataset: PyTorch gives every worker a copy of the stream (each item would come ${numWorkers} times unless the dataset splits the work); this loader has no workers: use numWorkers=0`,
        );
      }
    }
    if (sampler !== null && shuffle) {
      throw new Error('DataLoader: sampler option is mutually exclusive with shuffle');
    }
    if (batchSampler !== null) {
      if (batchSize !== 1 || shuffle || sampler !== null || dropLast) {
        throw new Error(
          'DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast',
        );
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new Error(
        'DataLoader: batchSize=null option disables auto-batching and is mutually exclusive with dropLast',
      );
    }
    if (o.generator != null && o.seed !== undefined)
      throw new TypeError('DataLoader: give either generator or seed, not both');
    this.generator = o.generator ?? (o.seed !== undefined ? new Generator(o.seed) : defaultGenerator);

    this.dataset = dataset;
    this._map = mapStyle ? asMapStyle<T>(dataset) : null;
    if (this._map !== null && sampler === null) {
      sampler = shuffle
        ? new RandomSampler(this._map, false, null, this.generator)
        : new SequentialSampler(this._map);
    }
    if (this._map !== null && batchSize !== null && batchSampler === null) {
      batchSampler = new BatchSampler(sampler as Iterable<number>, batchSize, dropLast);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.batchSampler = batchSampler;
    this.numWorkers = numWorkers;
    this.timeout = timeout;
    this.prefetchFactor = prefetchFactor;
    this.persistentWorkers = o.persistentWorkers ?? false;
    this.pinMemory = o.pinMemory ?? false;
    this.defaultCollation = o.collateFn == null;
    const autoCollation = this._autoCollation;
    this.collateFn = (o.collateFn ?? (autoCollation ? defaultCollate : defaultConvert)) as (items: any) => B;
  }

  /** @internal Batches are built from lists of items (batchSize or batchSampler given). */
  get _autoCollation(): boolean {
    return this.batchSampler !== null || (this._map === null && this.batchSize !== null);
  }

  /**
   * The number of batches per pass: the batch sampler's (or sampler's) length, or for an
   * iterable dataset with a `length`, that length in batches. Throws when unknown.
   */
  get length(): number {
    if (this._map !== null) {
      // PyTorch's len(batch_sampler or sampler); a BatchSampler's length needs its sampler's.
      const bs = this.batchSampler;
      const inner = bs instanceof BatchSampler ? bs.sampler : (bs ?? this.sampler);
      if (typeof (inner as { length?: unknown }).length !== 'number') {
        throw new TypeError('DataLoader: the sampler has no length, so the number of batches is unknown');
      }
      return ((bs ?? this.sampler) as unknown as { length: number }).length;
    }
    const n = (this.dataset as { length?: unknown }).length;
    if (typeof n !== 'number') {
      throw new TypeError(
        'DataLoader: the iterable dataset has no length, so the number of batches is unknown',
      );
    }
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** @internal Whether {@link length} is known (without throwing). */
  get _hasLength(): boolean {
    try {
      this.length;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One synchronous pass (an epoch): the batches in order.
   *
   * @throws Error when the dataset is asynchronous (iterate with `for await`).
   */
  *[Symbol.iterator](): Iterator<B> {
    if (this._map !== null) {
      for (const unit of this._units()) {
        let pending: unknown[] | null = null;
        const out = tidy(() => this._fetch(unit, (items) => (pending = items)));
        if (pending !== null) {
          swallow(pending);
          throw new Error(
            `DataLoader: the dataset's getItem returned a Promise (an asynchronous dataset); ${ASYNC_HINT}`,
          );
        }
        yield out as B;
      }
      return;
    }
    const it = this._openSync();
    try {
      for (;;) {
        const out = tidy(() => {
          const items = this._take(it);
          return items === null ? DONE : { batch: this._finish(items) };
        });
        if (out === DONE) return;
        yield out.batch;
      }
    } finally {
      it.return?.();
    }
  }

  /**
   * One asynchronous pass (an epoch): the batches in order, with up to
   * `numWorkers * prefetchFactor` of them loading at once when `numWorkers > 0`.
   *
   * @throws Error when a batch takes longer than `timeout` seconds (with a timeout set).
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const pass = this._pass();
    try {
      for (;;) {
        const r = await pass.next((b) => b);
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await pass.close();
    }
  }

  /**
   * @internal One pass as a cursor: `next(run)` loads the next batch and calls `run(batch)`
   * inside a tidy that frees what building the batch created (run's result survives). fit
   * and evaluate use it so the batch is freed with their step.
   */
  _pass(): BatchPass<B> {
    return openPass(this);
  }

  /** @internal The index units of a map-style pass: index lists when batching, else single indices. */
  *_units(): IterableIterator<number | number[]> {
    if (this.batchSampler !== null) {
      for (const b of this.batchSampler) yield Array.from(b);
    } else {
      yield* this.sampler as Iterable<number>;
    }
  }

  /**
   * @internal Loads one unit. Returns the batch; or, when getItem returned Promises, hands
   * the items to `onPending` (for the caller to await and then {@link _finish}) and returns DONE.
   */
  _fetch(unit: number | number[], onPending: (items: unknown[]) => void): B | typeof DONE {
    const map = this._map as MapStyleDataset<T>;
    const indices = Array.isArray(unit) ? unit : [unit];
    if (Array.isArray(unit) && this.defaultCollation) {
      const fast = tensorSource(map, unit);
      if (fast) return fast as B;
    }
    const items = indices.map((i) => map.getItem(i));
    if (items.some(isThenable)) {
      onPending(items);
      return DONE;
    }
    return this._finish(items as T[]);
  }

  /** @internal Builds a batch from loaded items (one item when batching is off). */
  _finish(items: unknown[]): B {
    return this._autoCollation ? this.collateFn(items) : this.collateFn(items[0]);
  }

  /** @internal Up to batchSize items from a sync iterator, or null at the end (or a short last batch with dropLast). */
  _take(it: Iterator<T>): T[] | null {
    const n = this.batchSize ?? 1;
    const items: T[] = [];
    while (items.length < n) {
      const r = it.next();
      if (r.done) break;
      items.push(r.value);
    }
    return this._complete(items);
  }

  /** @internal The gathered items as a batch's worth, or null when they make no batch. */
  _complete(items: T[]): T[] | null {
    if (items.length === 0) return null;
    if (this.batchSize !== null && items.length < this.batchSize && this.dropLast) return null;
    return items;
  }

  /** @internal Opens the dataset's synchronous iterator (refusing async and spent sources). */
  _openSync(): Iterator<T> {
    const ds = this.dataset as Partial<Iterable<T> & AsyncIterable<T>>;
    const syncIt = ds[Symbol.iterator];
    if (typeof syncIt !== 'function' || syncIt === ITERABLE_STUB) {
      if (typeof ds[Symbol.asyncIterator] === 'function') {
        throw new Error(`DataLoader: the dataset is an async iterable; ${ASYNC_HINT}`);
      }
    }
    return this._checkFresh(syncIt!.call(ds));
  }

  /** @internal Opens the dataset's async iterator, or its sync one when it has no async one. */
  _openAsync(): { it: AsyncIterator<T> | Iterator<T>; async: boolean } {
    const ds = this.dataset as Partial<Iterable<T> & AsyncIterable<T>>;
    if (typeof ds[Symbol.asyncIterator] === 'function') {
      return { it: this._checkFresh(ds[Symbol.asyncIterator]!()), async: true };
    }
    return { it: this._openSync(), async: false };
  }

  /** A generator object iterates once: a second pass over it would silently yield nothing. */
  private _checkFresh<I>(it: I): I {
    if ((it as unknown) === this.dataset) {
      if (this.passes > 0) {
        throw new Error(
          'DataLoader: the dataset is a one-shot iterator (e.g. a generator object) that an earlier pass already consumed; pass an iterable whose [Symbol.iterator]() starts a new pass (e.g. an IterableDataset)',
        );
      }
    }
    this.passes++;
    return it;
  }

  /** @internal How many asynchronous batches may load at once (0: one at a time). */
  get _window(): number {
    return this.numWorkers * this.prefetchFactor;
  }
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return `a ${(v as object).constructor?.name ?? 'object'}`;
}

/** One indexSelect per tensor when the dataset is a TensorDataset (or a Subset of one). */
function tensorSource(dataset: MapStyleDataset<unknown>, idx: readonly number[]): Tensor[] | null {
  let ds: unknown = dataset;
  let map = Array.from(idx);
  while (ds instanceof Subset) {
    const indices = ds.indices;
    map = map.map((i) => indices[resolveIndex('Subset.getItem', i, indices.length)]);
    ds = ds.dataset;
  }
  if (!(ds instanceof TensorDataset)) return null;
  const n = ds.length;
  const rows = Int32Array.from(map, (i) => resolveIndex('TensorDataset.getItem', i, n));
  return ds.tensors.map((t) =>
    t.indexSelect(0, fromArray('DataLoader', rows, [rows.length], 'int32', { device: t.device })),
  );
}
