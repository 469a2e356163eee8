import { any, type PosOrOpts, req, signature } from '../signature/signature.js';
import { asMapStyle, Dataset, isMapStyle, type MapStyleDataset } from './dataset.js';
import { iterableKind } from './iterable-dataset.js';

/** torch.utils.data.ConcatDataset(datasets). */
const CONCAT = signature('data.ConcatDataset', [req('datasets', any)]);

/**
 * Map-style datasets one after another (PyTorch's `ConcatDataset`): item `i` comes from the
 * first dataset whose cumulative size exceeds `i`. A negative index counts from the end, as
 * in PyTorch.
 *
 * @throws Error when `datasets` is empty, not an array, or holds one that is not map-style
 *   (use ChainDataset for iterable ones).
 *
 * @example
 * ```ts
 * const both = new data.ConcatDataset([trainA, trainB]);
 * both.cumulativeSizes; // [trainA.length, trainA.length + trainB.length]
 * ```
 */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  /** The datasets, in order (PyTorch's `datasets`). */
  readonly datasets: readonly (MapStyleDataset<T> | readonly T[])[];
  /** The running totals of the datasets' lengths (PyTorch's `cumulative_sizes`). */
  readonly cumulativeSizes: readonly number[];
  private readonly sources: MapStyleDataset<T>[];

  constructor(
    datasets: Iterable<MapStyleDataset<T> | readonly T[]>,
    ...rest: PosOrOpts<[], { datasets?: Iterable<MapStyleDataset<T> | readonly T[]> }>
  ) {
    super();
    const o = CONCAT.parse<{ datasets: Iterable<MapStyleDataset<T> | readonly T[]> }>([datasets, ...rest]);
    if (iterableKind(o.datasets) !== 'sync')
      throw new Error('ConcatDataset: datasets must be an array of datasets');
    const list = [...o.datasets];
    if (list.length === 0) throw new Error('ConcatDataset: datasets should not be an empty iterable');
    list.forEach((d, k) => {
      if (!isMapStyle(d)) {
        throw new Error(
          `ConcatDataset: dataset ${k} is not map-style (ConcatDataset does not support IterableDataset; use ChainDataset)`,
        );
      }
    });
    this.datasets = list;
    this.sources = list.map((d) => asMapStyle<T>(d));
    let s = 0;
    this.cumulativeSizes = this.sources.map((d) => (s += d.length));
  }

  /** The total number of items. */
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  /**
   * Item `i` of the concatenation; a negative `i` counts from the end.
   *
   * @throws Error when `i` is out of range or not an integer.
   */
  getItem(i: number): T {
    const n = this.length;
    if (!Number.isInteger(i) || i >= n || i < -n)
      throw new Error(`ConcatDataset.getItem: index ${i} is out of range for ${n} items`);
    const idx = i < 0 ? n + i : i;
    // bisect_right: the first dataset whose cumulative size exceeds idx.
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > idx) hi = mid;
      else lo = mid + 1;
    }
    const offset = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return this.sources[lo].getItem(idx - offset) as T;
  }
}
