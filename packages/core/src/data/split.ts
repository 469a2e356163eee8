import { any, nums, opt, type PosOrOpts, req, signature } from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { type MapStyleDataset, Subset } from './dataset.js';

/** torch.utils.data.random_split(dataset, lengths, generator=default_generator). */
const RANDOM_SPLIT = signature('data.randomSplit', [
  req('dataset', any),
  req('lengths', nums),
  opt('generator', (v) => (v instanceof Generator ? null : 'a Generator')),
]);

/**
 * Splits a dataset into non-overlapping random subsets (PyTorch's `random_split`). `lengths`
 * are item counts summing to the dataset's length, or fractions summing to 1 (the counts are
 * floored and the remainder handed out one by one from the first subset, as PyTorch does).
 *
 * @throws Error when a length is negative, a fraction is outside [0, 1], or the counts do not
 *   sum to the dataset's length.
 *
 * @example
 * ```ts
 * const [train, val] = data.randomSplit(ds, [0.8, 0.2], new Generator(42));
 * ```
 */
export function randomSplit<T>(
  dataset: MapStyleDataset<T> | readonly T[],
  lengths: readonly number[],
  ...rest: PosOrOpts<[generator: Generator], { generator?: Generator }>
): Subset<T>[] {
  const args = RANDOM_SPLIT.parse<{
    dataset: MapStyleDataset<T> | readonly T[];
    lengths: readonly number[];
    generator?: Generator;
  }>([dataset, lengths, ...rest]);
  dataset = args.dataset;
  lengths = args.lengths;
  const generator = args.generator ?? defaultGenerator;
  const n = dataset.length;
  let counts = [...lengths];
  const sum = counts.reduce((a, b) => a + b, 0);
  if (counts.some((c) => !(c >= 0)))
    throw new Error(`randomSplit: lengths must be non-negative, got [${lengths}]`);
  // PyTorch: fractions when math.isclose(sum, 1) and sum <= 1.
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    counts.forEach((f, i) => {
      if (f < 0 || f > 1) throw new Error(`randomSplit: fraction at index ${i} is not between 0 and 1`);
    });
    counts = counts.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  }
  if (!counts.every(Number.isInteger) || counts.reduce((a, b) => a + b, 0) !== n) {
    throw new Error(
      `randomSplit: sum of input lengths [${lengths}] does not equal the length of the input dataset (${n}); give counts or fractions summing to 1`,
    );
  }
  const perm = generator.permutation(n);
  let offset = 0;
  return counts.map((c) => {
    const s = new Subset(dataset, perm.subarray(offset, offset + c));
    offset += c;
    return s;
  });
}

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction (0–1) or count of test samples; default 0.25 (or the complement of `trainSize`). */
  testSize?: number;
  /** Fraction or count of training samples; default the complement of `testSize`. */
  trainSize?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Seeds a private generator for the shuffle when no `generator` is given (default: the global one). */
  seed?: number;
  /** The generator to shuffle with (scikit-learn's `random_state`); it wins over `seed`. */
  generator?: Generator;
}

/**
 * scikit-learn's `train_test_split` for tensors sharing their first dimension: returns
 * `[aTrain, aTest, bTrain, bTest, …]`. A fractional test size rounds up, a fractional train
 * size down, as scikit-learn does.
 *
 * @throws Error when no tensor is given, the tensors' first dimensions differ, a size is
 *   neither a fraction in (0, 1) nor a count within the samples, or the split leaves no
 *   training sample.
 *
 * @example
 * ```ts
 * const [xTrain, xTest, yTrain, yTest] = data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
 * ```
 */
export function trainTestSplit(...args: (Tensor | TrainTestSplitOptions)[]): Tensor[] {
  const last = args[args.length - 1];
  const opts: TrainTestSplitOptions =
    last !== undefined && !(last instanceof Tensor) ? (args.pop() as TrainTestSplitOptions) : {};
  const tensors = args as Tensor[];
  if (tensors.length === 0) throw new Error('trainTestSplit: expected at least one tensor');
  tensors.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new Error(`trainTestSplit: argument ${k} is not a Tensor`);
  });
  const n = tensors[0].shape[0];
  const bad = tensors.find((t) => t.ndim === 0 || t.shape[0] !== n);
  if (bad)
    throw new Error(
      `trainTestSplit: tensors must share their first dimension (${n}), got shape [${bad.shape}]`,
    );
  const size = (v: number, name: string, round: (x: number) => number): number => {
    if (v > 0 && v < 1) return round(v * n);
    if (Number.isInteger(v) && v >= 0 && v <= n) return v;
    throw new Error(`trainTestSplit: ${name}=${v} must be a fraction in (0, 1) or a count in [0, ${n}]`);
  };
  let nTest: number;
  let nTrain: number;
  if (opts.testSize === undefined && opts.trainSize === undefined) {
    nTest = size(0.25, 'testSize', Math.ceil);
    nTrain = n - nTest;
  } else {
    nTest = opts.testSize !== undefined ? size(opts.testSize, 'testSize', Math.ceil) : -1;
    nTrain = opts.trainSize !== undefined ? size(opts.trainSize, 'trainSize', Math.floor) : n - nTest;
    if (nTest < 0) nTest = n - nTrain;
  }
  if (nTrain + nTest > n)
    throw new Error(`trainTestSplit: train (${nTrain}) + test (${nTest}) exceeds the ${n} samples`);
  if (nTrain === 0)
    throw new Error(
      `trainTestSplit: with ${n} samples and testSize ${opts.testSize}, the training set would be empty`,
    );
  const shuffle = opts.shuffle ?? true;
  const gen = opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
  const perm = shuffle ? gen.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  // scikit-learn's ShuffleSplit: the test indices come first in the permutation.
  const testIdx = shuffle ? perm.subarray(0, nTest) : perm.subarray(nTrain, nTrain + nTest);
  const trainIdx = shuffle ? perm.subarray(nTest, nTest + nTrain) : perm.subarray(0, nTrain);
  return tidy(() =>
    tensors.flatMap((t) =>
      [trainIdx, testIdx].map((idx) =>
        t.indexSelect(
          0,
          fromArray('trainTestSplit', Int32Array.from(idx), [idx.length], 'int32', { device: t.device }),
        ),
      ),
    ),
  );
}
