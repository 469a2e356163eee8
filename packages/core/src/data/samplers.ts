// PyTorch's samplers (torch.utils.data.sampler): iterables of dataset indices (or, for
// BatchSampler, of index lists) that a DataLoader reads its items by.
import { any, bool, int, opt, optional, type PosOrOpts, req, signature } from '../signature/signature.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Anything with a length: a dataset, an array, a sampler. */
export interface Sized {
  /** The number of items (Python's `len()`). */
  readonly length: number;
}

const generatorCheck = optional((v) => (v instanceof Generator ? null : 'a Generator'));
const sized = (v: unknown) =>
  v !== null && typeof v === 'object' && typeof (v as Sized).length === 'number'
    ? null
    : 'a dataset (an object with a numeric length)';
const indexList = (v: unknown) =>
  (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) &&
  Array.from(v as ArrayLike<unknown>).every((x) => Number.isInteger(x))
    ? null
    : 'an array of integer indices';

/** The length of a sized source, as Python's len(). */
function lengthOf(op: string, source: unknown): number {
  const n = (source as Sized | null)?.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new TypeError(`${op}: the data source has no length (got ${String(n)})`);
  return n;
}

/**
 * Base of the samplers (PyTorch's `Sampler`): an iterable of indices. A subclass defines
 * `[Symbol.iterator]` and, so a DataLoader knows its number of batches, `length`.
 *
 * @example
 * ```ts
 * class EvenSampler extends data.Sampler {
 *   constructor(private n: number) { super(); }
 *   get length() { return Math.ceil(this.n / 2); }
 *   *[Symbol.iterator]() { for (let i = 0; i < this.n; i += 2) yield i; }
 * }
 * ```
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  /** The indices (or, for a batch sampler, index lists) of one pass (PyTorch's `__iter__`). */
  abstract [Symbol.iterator](): Iterator<T>;
}

/** torch.utils.data.SequentialSampler(data_source). */
const SEQUENTIAL = signature('data.SequentialSampler', [req('dataSource', sized)]);

/**
 * Samples `0, 1, …, length - 1` in order (PyTorch's `SequentialSampler`); what a DataLoader
 * without `shuffle` uses.
 *
 * @example
 * ```ts
 * [...new data.SequentialSampler([10, 20, 30])]; // [0, 1, 2]
 * ```
 */
export class SequentialSampler extends Sampler<number> {
  /** What is sampled (PyTorch's `data_source`); only its `length` is read. */
  readonly dataSource: Sized;

  constructor(dataSource: Sized, ...rest: PosOrOpts<[], { dataSource?: Sized }>) {
    super();
    this.dataSource = SEQUENTIAL.parse<{ dataSource: Sized }>([dataSource, ...rest]).dataSource;
  }

  /**
   * The data source's length, read at each call.
   *
   * @throws TypeError when the data source has no non-negative integer length.
   */
  get length(): number {
    return lengthOf('SequentialSampler', this.dataSource);
  }

  /** Yields `0, 1, …, length - 1`. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/** torch.utils.data.RandomSampler(data_source, replacement=False, num_samples=None, generator=None). */
const RANDOM = signature('data.RandomSampler', [
  req('dataSource', sized),
  opt('replacement', bool),
  opt('numSamples', optional(int)),
  opt('generator', generatorCheck),
]);

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false: a permutation). */
  replacement?: boolean;
  /** How many indices per pass (default the data source's length). */
  numSamples?: number | null;
  /** The generator to draw from (default: a fresh one seeded from the default generator per pass). */
  generator?: Generator | null;
}

/**
 * Samples indices at random (PyTorch's `RandomSampler`): a permutation of the data source,
 * or with `replacement`, `numSamples` independent uniform draws. Without replacement and
 * `numSamples` above the length, whole permutations follow each other (the last one cut), as
 * PyTorch does. Without a generator each pass seeds a fresh one from the default generator
 * (PyTorch's behaviour: `manualSeed` makes the passes reproducible).
 *
 * @throws Error when `numSamples` (or, without it, the data source's length) is not a
 *   positive integer.
 *
 * @example
 * ```ts
 * const sampler = new data.RandomSampler(dataset, { generator: new Generator(0) });
 * const loader = new data.DataLoader(dataset, { batchSize: 16, sampler });
 * ```
 */
export class RandomSampler extends Sampler<number> {
  /** What is sampled (PyTorch's `data_source`); only its `length` is read. */
  readonly dataSource: Sized;
  /** Whether indices are drawn with replacement (default false: permutations). */
  readonly replacement: boolean;
  /** The generator drawn from, or null: a fresh one per pass, seeded from the default generator. */
  readonly generator: Generator | null;
  private readonly numSamples_: number | null;

  constructor(
    dataSource: Sized,
    ...rest: PosOrOpts<
      [replacement: boolean, numSamples: number | null, generator: Generator | null],
      RandomSamplerOptions
    >
  ) {
    super();
    const o = RANDOM.parse<RandomSamplerOptions & { dataSource: Sized }>([dataSource, ...rest]);
    this.dataSource = o.dataSource;
    this.replacement = o.replacement ?? false;
    this.numSamples_ = o.numSamples ?? null;
    this.generator = o.generator ?? null;
    const n = this.numSamples;
    if (!Number.isInteger(n) || n <= 0) {
      throw new Error(
        `RandomSampler: numSamples should be a positive integer value, but got numSamples=${n}`,
      );
    }
  }

  /** Indices per pass: `numSamples`, or the data source's length. */
  get numSamples(): number {
    return this.numSamples_ ?? lengthOf('RandomSampler', this.dataSource);
  }

  /** Indices per pass: {@link numSamples}. */
  get length(): number {
    return this.numSamples;
  }

  /** Yields one pass: `numSamples` indices, a permutation (or several) or draws with replacement. */
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf('RandomSampler', this.dataSource);
    const gen = this.generator ?? new Generator(defaultGenerator.nextUint32());
    const total = this.numSamples;
    if (this.replacement) {
      for (let k = 0; k < total; k++) yield gen.int(0, n);
      return;
    }
    for (let done = 0; done < total; ) {
      const perm = gen.permutation(n);
      const take = Math.min(n, total - done);
      for (let k = 0; k < take; k++) yield perm[k];
      done += take;
    }
  }
}

/** torch.utils.data.SubsetRandomSampler(indices, generator=None). */
const SUBSET_RANDOM = signature('data.SubsetRandomSampler', [
  req('indices', indexList),
  opt('generator', generatorCheck),
]);

/**
 * Samples the given indices in a random order, without replacement (PyTorch's
 * `SubsetRandomSampler`).
 *
 * @throws Error when `indices` is not an array of integers.
 *
 * @example
 * ```ts
 * // Train on the first 800 items, reshuffled every epoch:
 * const loader = new data.DataLoader(dataset, { batchSize: 32, sampler: new data.SubsetRandomSampler([...Array(800).keys()]) });
 * ```
 */
export class SubsetRandomSampler extends Sampler<number> {
  /** The indices sampled from (a copy of the argument). */
  readonly indices: readonly number[];
  /** The generator drawn from, or null: the default generator. */
  readonly generator: Generator | null;

  constructor(
    indices: ArrayLike<number>,
    ...rest: PosOrOpts<
      [generator: Generator | null],
      { indices?: ArrayLike<number>; generator?: Generator | null }
    >
  ) {
    super();
    const o = SUBSET_RANDOM.parse<{ indices: ArrayLike<number>; generator?: Generator | null }>([
      indices,
      ...rest,
    ]);
    this.indices = Array.from(o.indices);
    this.generator = o.generator ?? null;
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** Yields every index once, in a fresh random order each pass. */
  *[Symbol.iterator](): Iterator<number> {
    const perm = (this.generator ?? defaultGenerator).permutation(this.indices.length);
    for (const i of perm) yield this.indices[i];
  }
}

/** torch.utils.data.WeightedRandomSampler(weights, num_samples, replacement=True, generator=None). */
const WEIGHTED = signature('data.WeightedRandomSampler', [
  req('weights', any),
  req('numSamples', any),
  opt('replacement', any),
  opt('generator', generatorCheck),
]);

/**
 * Samples `numSamples` indices of `[0, weights.length)` with probabilities proportional to
 * `weights` (PyTorch's `WeightedRandomSampler`, i.e. `torch.multinomial`): with replacement
 * (the default) independent draws; without, each index at most once.
 *
 * @throws Error (with torch.multinomial's messages) when `numSamples` is not a positive
 *   integer, `replacement` is not a boolean, the weights are not a 1-D sequence of numbers, a
 *   weight is negative, infinite or NaN, they sum to 0, or without replacement there are fewer
 *   non-zero weights than `numSamples`.
 *
 * @example
 * ```ts
 * // Balance two classes: weight each sample by 1 / (its class's count).
 * const labels = [0, 0, 0, 1, 1, 0];
 * const counts = [4, 2];
 * new data.WeightedRandomSampler(labels.map((c) => 1 / counts[c]), labels.length);
 * ```
 */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights, as doubles (they need not sum to 1). */
  readonly weights: Float64Array;
  /** Indices drawn per pass. */
  readonly numSamples: number;
  /** Whether an index may be drawn more than once per pass (default true). */
  readonly replacement: boolean;
  /** The generator drawn from, or null: the default generator. */
  readonly generator: Generator | null;

  constructor(
    weights: ArrayLike<number> | Tensor,
    numSamples: number,
    ...rest: PosOrOpts<
      [replacement: boolean, generator: Generator | null],
      {
        weights?: ArrayLike<number> | Tensor;
        numSamples?: number;
        replacement?: boolean;
        generator?: Generator | null;
      }
    >
  ) {
    super();
    const o = WEIGHTED.parse<{
      weights: ArrayLike<number> | Tensor;
      numSamples: unknown;
      replacement?: unknown;
      generator?: Generator | null;
    }>([weights, numSamples, ...rest]);
    const n = o.numSamples;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
      throw new Error(
        `WeightedRandomSampler: numSamples should be a positive integer value, but got numSamples=${String(n)}`,
      );
    }
    const replacement = o.replacement ?? true;
    if (typeof replacement !== 'boolean') {
      throw new Error(
        `WeightedRandomSampler: replacement should be a boolean value, but got replacement=${String(replacement)}`,
      );
    }
    this.weights = readWeights(o.weights);
    this.numSamples = n;
    this.replacement = replacement;
    this.generator = o.generator ?? null;
    checkDistribution(this.weights, n, replacement);
  }

  /** Indices per pass: {@link numSamples}. */
  get length(): number {
    return this.numSamples;
  }

  /** Yields `numSamples` weighted draws. */
  *[Symbol.iterator](): Iterator<number> {
    yield* multinomial(this.weights, this.numSamples, this.replacement, this.generator ?? defaultGenerator);
  }
}

function readWeights(w: unknown): Float64Array {
  if (w instanceof Tensor) {
    if (w.ndim !== 1) {
      throw new Error(
        `WeightedRandomSampler: weights should be a 1d sequence but given weights have shape [${w.shape}]`,
      );
    }
    return Float64Array.from(w.dataSync() as ArrayLike<number | bigint>, Number);
  }
  if (Array.isArray(w) || (ArrayBuffer.isView(w) && !(w instanceof DataView))) {
    const arr = Array.from(w as ArrayLike<unknown>);
    if (!arr.every((x) => typeof x === 'number')) {
      throw new Error('WeightedRandomSampler: weights should be a 1d sequence of numbers');
    }
    return Float64Array.from(arr as number[]);
  }
  throw new Error('WeightedRandomSampler: weights must be an array of numbers or a 1-D Tensor');
}

/** torch.multinomial's checks, with its messages. */
function checkDistribution(w: Float64Array, n: number, replacement: boolean): void {
  let sum = 0;
  let positive = 0;
  for (const x of w) {
    if (!Number.isFinite(x) || x < 0) {
      throw new Error('WeightedRandomSampler: probability tensor contains either inf, nan or element < 0');
    }
    sum += x;
    if (x > 0) positive++;
  }
  if (!(sum > 0))
    throw new Error('WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)');
  if (!replacement && n > w.length) {
    throw new Error(
      `WeightedRandomSampler: cannot sample numSamples=${n} > weights.length=${w.length} samples without replacement`,
    );
  }
  if (!replacement && n > positive) {
    throw new Error(
      `WeightedRandomSampler: invalid multinomial distribution (with replacement=false, not enough non-zero weights to sample: ${positive} for numSamples=${n})`,
    );
  }
}

/** Draws `n` category indices with probabilities proportional to `w`. */
function multinomial(w: Float64Array, n: number, replacement: boolean, gen: Generator): number[] {
  const out: number[] = [];
  if (replacement) {
    const cum = new Float64Array(w.length);
    let s = 0;
    for (let i = 0; i < w.length; i++) cum[i] = s += w[i];
    for (let k = 0; k < n; k++) {
      const u = gen.random() * s;
      // The first category whose cumulative weight exceeds u (zero weights are never chosen).
      let lo = 0;
      let hi = w.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      out.push(lo);
    }
    return out;
  }
  // Without replacement: Efraimidis–Spirakis keys log(u) / w, the n largest win, in key order
  // (the order successive draws would pick them in).
  const keys: [number, number][] = [];
  for (let i = 0; i < w.length; i++) {
    if (w[i] > 0) keys.push([Math.log(1 - gen.random()) / w[i], i]);
  }
  keys.sort((a, b) => b[0] - a[0]);
  for (let k = 0; k < n; k++) out.push(keys[k][1]);
  return out;
}

/** torch.utils.data.BatchSampler(sampler, batch_size, drop_last). */
const BATCH = signature('data.BatchSampler', [
  req('sampler', any),
  req('batchSize', any),
  req('dropLast', any),
]);

/**
 * Groups the indices of another sampler (or any iterable of indices) into lists of
 * `batchSize` (PyTorch's `BatchSampler`); the last, shorter list is dropped with `dropLast`.
 *
 * @throws Error when `batchSize` is not a positive integer, `dropLast` not a boolean, or
 *   `sampler` not iterable.
 *
 * @example
 * ```ts
 * [...new data.BatchSampler(new data.SequentialSampler([...Array(10).keys()]), 3, false)];
 * // [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 * ```
 */
export class BatchSampler extends Sampler<number[]> {
  /** The indices grouped: a sampler or any iterable of indices. */
  readonly sampler: Iterable<number>;
  /** Indices per batch. */
  readonly batchSize: number;
  /** Whether a last batch shorter than `batchSize` is dropped. */
  readonly dropLast: boolean;

  constructor(
    sampler: Iterable<number>,
    batchSize: number,
    dropLast: boolean,
    ...rest: PosOrOpts<[], { sampler?: Iterable<number>; batchSize?: number; dropLast?: boolean }>
  ) {
    super();
    const o = BATCH.parse<{ sampler: Iterable<number>; batchSize: unknown; dropLast: unknown }>([
      sampler,
      batchSize,
      dropLast,
      ...rest,
    ]);
    if (typeof o.batchSize !== 'number' || !Number.isInteger(o.batchSize) || o.batchSize <= 0) {
      throw new Error(
        `BatchSampler: batchSize should be a positive integer value, but got batchSize=${String(o.batchSize)}`,
      );
    }
    if (typeof o.dropLast !== 'boolean') {
      throw new Error(
        `BatchSampler: dropLast should be a boolean value, but got dropLast=${String(o.dropLast)}`,
      );
    }
    if (o.sampler === null || typeof (o.sampler as Iterable<number>)[Symbol.iterator] !== 'function') {
      throw new Error('BatchSampler: sampler must be a Sampler or an iterable of indices');
    }
    this.sampler = o.sampler;
    this.batchSize = o.batchSize;
    this.dropLast = o.dropLast;
  }

  /** Batches per pass (needs the sampler's length). */
  get length(): number {
    const n = lengthOf('BatchSampler', this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Yields the sampler's indices in lists of `batchSize`. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
