// PyTorch's iterable-style datasets: a stream of items instead of items addressed by index.
import { any, type PosOrOpts, req, signature } from '../signature/signature.js';

/**
 * An iterable-style dataset (PyTorch's `IterableDataset`): a subclass defines
 * `[Symbol.iterator]()` for a synchronous source, or `[Symbol.asyncIterator]()` for an
 * asynchronous one (a file, a network stream), which a DataLoader then reads with
 * `for await`. Each pass calls the iterator method again, so it should start a fresh stream.
 * Samplers and `shuffle` do not apply: the dataset decides the order.
 *
 * @example
 * ```ts
 * class Range extends data.IterableDataset<number> {
 *   constructor(readonly start: number, readonly end: number) { super(); }
 *   override *[Symbol.iterator]() { for (let i = this.start; i < this.end; i++) yield i; }
 * }
 * [...new data.DataLoader(new Range(3, 7), 2)]; // [tensor([3, 4]), tensor([5, 6])]
 * ```
 */
export abstract class IterableDataset<T = unknown> implements Iterable<T> {
  /**
   * The items of one pass (PyTorch's `__iter__`): override it, or `[Symbol.asyncIterator]`.
   *
   * @throws Error in the base: the subclass defines no iterator, or only an asynchronous one.
   */
  [Symbol.iterator](): Iterator<T> {
    const name = this.constructor.name;
    if (typeof (this as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function') {
      throw new Error(
        `${name}: this dataset is asynchronous ([Symbol.asyncIterator]); read it with for await (also through a DataLoader)`,
      );
    }
    throw new Error(
      `${name}: an IterableDataset must define [Symbol.iterator]() or [Symbol.asyncIterator]()`,
    );
  }
}

/** @internal The base's stand-in iterator, which a subclass replaces. */
export const ITERABLE_STUB = IterableDataset.prototype[Symbol.iterator];

/** @internal 'async' for an async iterable, 'sync' for a sync one, null for neither. */
export function iterableKind(ds: unknown): 'sync' | 'async' | null {
  if (ds === null || (typeof ds !== 'object' && typeof ds !== 'function')) return null;
  if (typeof (ds as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return 'async';
  const it = (ds as Iterable<unknown>)[Symbol.iterator];
  return typeof it === 'function' ? 'sync' : null;
}

/** torch.utils.data.ChainDataset(datasets). */
const CHAIN = signature('data.ChainDataset', [req('datasets', any)]);

/**
 * Chains iterable datasets one after another (PyTorch's `ChainDataset`), on the fly. Its
 * `length` is the sum of the datasets' lengths (each must have one). With an asynchronous
 * dataset among them, read it with `for await`.
 *
 * @throws Error when `datasets` is not a synchronous iterable; when iterated, if one of them is
 *   not iterable.
 *
 * @example
 * ```ts
 * const stream = new data.ChainDataset([partA, partB]); // partA's items, then partB's
 * ```
 */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  /** The chained datasets (PyTorch's `datasets`), read again at each pass. */
  readonly datasets: Iterable<Iterable<T> | AsyncIterable<T>>;

  constructor(
    datasets: Iterable<Iterable<T> | AsyncIterable<T>>,
    ...rest: PosOrOpts<[], { datasets?: Iterable<Iterable<T> | AsyncIterable<T>> }>
  ) {
    super();
    const o = CHAIN.parse<{ datasets: Iterable<Iterable<T> | AsyncIterable<T>> }>([datasets, ...rest]);
    if (iterableKind(o.datasets) !== 'sync') {
      throw new Error('ChainDataset: datasets must be an array (or iterable) of iterable datasets');
    }
    this.datasets = o.datasets;
  }

  private parts(): (Iterable<T> | AsyncIterable<T>)[] {
    const parts = [...this.datasets];
    parts.forEach((d, k) => {
      if (iterableKind(d) === null)
        throw new Error(
          `ChainDataset: dataset ${k} is not iterable (ChainDataset only supports iterable datasets)`,
        );
    });
    return parts;
  }

  /**
   * Yields each dataset's items in turn.
   *
   * @throws Error when one of the datasets is asynchronous (use `for await`).
   */
  override *[Symbol.iterator](): Iterator<T> {
    const parts = this.parts();
    if (parts.some((d) => iterableKind(d) === 'async')) {
      throw new Error('ChainDataset: it chains an asynchronous dataset; read it with for await');
    }
    for (const d of parts) yield* d as Iterable<T>;
  }

  /** Yields each dataset's items in turn, awaiting the asynchronous ones. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const d of this.parts()) {
      if (iterableKind(d) === 'async') for await (const x of d as AsyncIterable<T>) yield x;
      else yield* d as Iterable<T>;
    }
  }

  /**
   * The sum of the datasets' lengths.
   *
   * @throws TypeError when one of them has no length.
   */
  get length(): number {
    let total = 0;
    for (const [k, d] of this.parts().entries()) {
      const n = (d as { length?: unknown }).length;
      if (typeof n !== 'number') throw new TypeError(`ChainDataset: dataset ${k} has no length`);
      total += n;
    }
    return total;
  }
}
