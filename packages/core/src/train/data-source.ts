import { DataLoader } from '../data/dataloader.js';
import { type BatchPass, DONE, type PassResult } from '../data/dataloader-pass.js';
import { Dataset, Subset, TensorDataset } from '../data/dataset.js';
import { Generator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Data for fit/evaluate: a DataLoader (or any iterable, or for fit async iterable, of
 * `[x, y]` batches), a Dataset of `[x, y]` items, or the whole `[x, y]` tensors (batched with
 * `batchSize`).
 */
export type DataSource =
  | Iterable<unknown>
  | AsyncIterable<unknown>
  | Dataset<unknown>
  | readonly [Tensor, Tensor];

/** Batches of the data: passes over them, and their number per pass when known. */
export interface Batches {
  /** Starts a pass (an epoch); each step's batch is freed with the step (see BatchPass). */
  open(): BatchPass<unknown>;
  /** The batches for synchronous reading (evaluate, predict), or null for an async-only source. */
  sync: Iterable<unknown> | null;
  steps?: number;
}

/** A pass over a synchronous iterable: the iterator's next() runs inside the step's tidy. */
function syncPass(source: Iterable<unknown>): BatchPass<unknown> {
  const it = source[Symbol.iterator]();
  return {
    async next<R>(run: (batch: unknown) => R): Promise<PassResult<R>> {
      const out = tidy(() => {
        const n = it.next();
        return n.done ? DONE : { value: run(n.value) };
      });
      return out === DONE ? { done: true } : { done: false, value: out.value };
    },
    async close() {
      it.return?.();
    },
  };
}

/** A pass over an async iterable: the batch is awaited, then the step runs in a tidy (the batch stays the source's). */
function asyncPass(source: AsyncIterable<unknown>): BatchPass<unknown> {
  const it = source[Symbol.asyncIterator]();
  return {
    async next<R>(run: (batch: unknown) => R): Promise<PassResult<R>> {
      const n = await it.next();
      return n.done ? { done: true } : { done: false, value: tidy(() => run(n.value)) };
    },
    async close() {
      await it.return?.();
    },
  };
}

function lengthOf(source: unknown): number | undefined {
  if (source instanceof DataLoader) return source._hasLength ? source.length : undefined;
  const len = (source as { length?: unknown }).length;
  return typeof len === 'number' ? len : undefined;
}

function isTensorPair(src: unknown): src is readonly [Tensor, Tensor] {
  return Array.isArray(src) && src.length === 2 && src[0] instanceof Tensor && src[1] instanceof Tensor;
}

/** Wraps a source in batches; tensors and datasets get a DataLoader with these options. */
export function toBatches(
  op: string,
  src: DataSource,
  opts: { batchSize?: number; shuffle?: boolean; seed?: number },
): Batches {
  let loaderSource: Dataset<unknown> | undefined;
  if (isTensorPair(src)) {
    if (src[0].shape[0] !== src[1].shape[0]) {
      throw new Error(
        `${op}: x has ${src[0].shape[0]} samples but y has ${src[1].shape[0]} (shapes [${src[0].shape}] and [${src[1].shape}])`,
      );
    }
    loaderSource = new TensorDataset(src[0], src[1]);
  } else if (src instanceof Dataset) {
    loaderSource = src;
  }
  if (loaderSource) {
    const loader = new DataLoader(loaderSource, {
      batchSize: opts.batchSize ?? 32,
      shuffle: opts.shuffle ?? false,
      generator: opts.seed !== undefined ? new Generator(opts.seed) : undefined,
    });
    return { open: () => loader._pass(), sync: loader, steps: loader.length };
  }
  if (src instanceof DataLoader) {
    return { open: () => src._pass(), sync: src, steps: lengthOf(src) };
  }
  const source = src as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null;
  if (source !== null && typeof source === 'object' && typeof source[Symbol.asyncIterator] === 'function') {
    return { open: () => asyncPass(source as AsyncIterable<unknown>), sync: null, steps: lengthOf(source) };
  }
  if (source === null || typeof source?.[Symbol.iterator] !== 'function') {
    throw new Error(
      `${op}: data must be a DataLoader, an iterable (or async iterable) of [x, y] batches, a Dataset or [x, y] tensors`,
    );
  }
  const iterable = source as Iterable<unknown>;
  return { open: () => syncPass(iterable), sync: iterable, steps: lengthOf(iterable) };
}

/** @internal The synchronous batches of `batches`, or a clear error for an async-only source. */
export function syncBatches(op: string, batches: Batches): Iterable<unknown> {
  if (batches.sync === null) {
    throw new Error(
      `${op}: the data are an async iterable, and ${op} reads synchronously; pass them to fit (train or val), which awaits them`,
    );
  }
  return batches.sync;
}

/**
 * Keras' `validation_split`: the last `fraction` of the samples (taken before any shuffling)
 * become validation data. Works on `[x, y]` tensors and Datasets.
 */
export function splitValidation(op: string, src: DataSource, fraction: number): [DataSource, DataSource] {
  if (!(fraction > 0 && fraction < 1))
    throw new Error(`${op}: validationSplit must lie in (0, 1), got ${fraction}`);
  if (isTensorPair(src)) {
    const n = src[0].shape[0];
    const at = Math.floor(n * (1 - fraction));
    if (at === 0 || at === n)
      throw new Error(`${op}: validationSplit ${fraction} of ${n} samples leaves a split empty`);
    const part = (start: number, len: number) =>
      [src[0].narrow(0, start, len), src[1].narrow(0, start, len)] as const;
    return [part(0, at), part(at, n - at)];
  }
  if (src instanceof Dataset) {
    const n = src.length;
    const at = Math.floor(n * (1 - fraction));
    const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
    return [new Subset(src, range(0, at)), new Subset(src, range(at, n))];
  }
  throw new Error(`${op}: validationSplit needs [x, y] tensors or a Dataset; pass 'val' with a DataLoader`);
}

/** The `[x, y]` of a batch (an array or a `{ x, y }` object), with a clear error for anything else. */
export function unpackBatch(op: string, batch: unknown): [Tensor, Tensor] {
  if (Array.isArray(batch) && batch.length >= 2 && batch[0] instanceof Tensor && batch[1] instanceof Tensor) {
    return [batch[0], batch[1]];
  }
  if (
    batch &&
    typeof batch === 'object' &&
    (batch as any).x instanceof Tensor &&
    (batch as any).y instanceof Tensor
  ) {
    return [(batch as any).x, (batch as any).y];
  }
  throw new Error(`${op}: each batch must be [x, y] tensors (or { x, y })`);
}
