// multinomial, bernoulli and normal: sampled in core from the seeded generator (tensor/random.ts)
// and uploaded, as every random tensor here, so all backends get the same samples. Their tensor
// parameters (weights, probabilities, means, deviations) are read back once to validate and
// sample on the host; a backend that only reads asynchronously gets a clear error.
// The streams differ from PyTorch's (another generator), so a seed gives other samples than
// torch.manual_seed would, with the same distribution.
import type { DataArray, DType } from '../backend/types.js';
import {
  bool,
  type Check,
  int,
  kw,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { fromArray, type RandomOptions, type TensorOptions } from '../tensor/creation.js';
import { DTYPES, isFloat, toDataArray } from '../tensor/dtype.js';
import { hostDraw } from '../tensor/host-draw.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { broadcastShapes, fmtShape, sizeOf } from '../tensor/shape.js';
import { checkSize } from '../tensor/size-args.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { withZeroGrad } from './zero-grad.js';

const generator = kw(
  'generator',
  optional((v) => (v instanceof Generator ? null : 'a Generator')),
);
const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
const numOrTensor: Check = (v) =>
  typeof v === 'number' || v instanceof Tensor ? null : 'a number or a Tensor';

/** multinomial(input, num_samples, replacement=False, *, generator=None, out=None) */
export const MULTINOMIAL = sig('multinomial', [
  req('input', tensor),
  req('numSamples', int),
  opt('replacement', bool),
  generator,
  out,
]);
/**
 * bernoulli(input, *, generator=None, out=None), and PyTorch's other overload bernoulli(input, p, *,
 * generator=None): `p` is declared as an extension (left out of the comparison with the
 * documented line), though positional as in PyTorch.
 */
export const BERNOULLI = sig('bernoulli', [
  req('input', tensor),
  { ...opt('p', optional(num)), extension: true },
  generator,
  out,
]);
/**
 * normal(mean, std, size=None, *, generator=None, out=None, dtype=None, layout=…, device=None,
 * requires_grad=False): PyTorch's four overloads (tensor/number mean and std; two numbers need a size).
 */
export const NORMAL = sig('normal', [
  req('mean', numOrTensor),
  req('std', numOrTensor),
  opt(
    'size',
    optional((v) => (Array.isArray(v) ? null : 'an array of sizes')),
  ),
  generator,
  out,
  kw('dtype', optional(oneOf(...DTYPES))),
  unsupported('layout', 'only dense (strided) tensors exist here', true),
  kw(
    'device',
    optional((v) => (typeof v === 'string' ? null : 'a string')),
  ),
  kw('requiresGrad', bool),
]);

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  /** How many category indices to draw per row. */
  numSamples?: number;
  /** Draw with replacement (default false: each category at most once). */
  replacement?: boolean;
  /** The generator to draw from (default: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}
/** Options of {@link bernoulli}. */
export interface BernoulliOptions {
  /** One probability for every element instead of the input's values (PyTorch's `bernoulli(input, p)`). */
  p?: number | null;
  /** The generator to draw from (default: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}
/** The options of {@link normal} with a tensor mean or std (the tensors give shape, dtype and device). */
export interface SamplingOptions {
  /** The generator to draw from (default: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}
/** Options of {@link normal}. */
export interface NormalOptions extends RandomOptions {
  /** The shape of the result when `mean` and `std` are both numbers (required then). */
  size?: readonly number[] | null;
}

/** `t`'s values as numbers, read back once (the sampling is done on the host). */
function hostNumbers(op: string, t: Tensor): Float64Array {
  let data: DataArray;
  try {
    data = t.dataSync<DataArray>();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `${op}: samples on the host and needs a synchronous read, which the '${t.device}' backend refused (${why})`,
    );
  }
  return Float64Array.from(data as ArrayLike<number | bigint>, Number);
}

/** `values` uploaded as a `dtype` tensor (converted as a cast would; half dtypes round on write). */
export function upload(
  op: string,
  values: Float64Array,
  shape: readonly number[],
  dtype: DType,
  opts: TensorOptions,
): Tensor {
  return fromArray(op, toDataArray(op, values, dtype), shape, dtype, opts);
}

/** A draw from Exp(1): -log(1 - u), u uniform in [0, 1), so never infinite. */
const exponential = (g: Generator): number => -Math.log1p(-g.random());

/**
 * `numSamples` category indices per row of `input` (1-D: one distribution, 2-D: one per row),
 * drawn with probability proportional to the row's non-negative weights, with or without
 * `replacement` (without: each category at most once, in the order drawn). int64, as PyTorch's
 * `torch.multinomial`. Without replacement it draws as PyTorch does, the categories with the
 * largest `weight / Exp(1)` keys (zero weights come last, once the others are exhausted).
 *
 * ```ts
 * multinomial(tensor([0.2, 0.3, 0.5]), 4, true); // e.g. tensor([2, 1, 2, 0])
 * ```
 */
export function multinomial(
  input: Tensor,
  ...rest: PosOrOpts<[numSamples: number, replacement: boolean], MultinomialOptions>
): Tensor {
  const a = MULTINOMIAL.parse<{ input: Tensor; numSamples: number } & MultinomialOptions>([input, ...rest]);
  const op = 'multinomial';
  const x = checkTensor(op, a.input);
  const n = a.numSamples;
  const replacement = a.replacement ?? false;
  const g = a.generator ?? defaultGenerator;
  if (!isFloat(x.dtype)) {
    throw new Error(
      `${op}: only supports floating point dtypes for input, got ${x.dtype} ${fmtShape(x.shape)}`,
    );
  }
  if (x.ndim !== 1 && x.ndim !== 2) {
    throw new Error(`${op}: prob_dist must be 1 or 2 dim, got shape ${fmtShape(x.shape)}`);
  }
  if (n <= 0) throw new Error(`${op}: cannot sample numSamples <= 0 samples (got ${n})`);
  const k = x.shape[x.ndim - 1];
  if (!replacement && n > k) {
    throw new Error(
      `${op}: cannot sample numSamples > prob_dist.size(-1) samples without replacement (${n} > ${k}, shape ${fmtShape(x.shape)})`,
    );
  }
  const rows = x.ndim === 1 ? 1 : x.shape[0];
  const w = rows * k > 0 ? hostNumbers(op, x) : new Float64Array(0);
  const picked = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const row = w.subarray(r * k, (r + 1) * k);
    let total = 0;
    for (const v of row) {
      if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
        throw new Error(
          `${op}: invalid multinomial distribution: row ${r} has an entry ${v} (weights must be finite and >= 0)`,
        );
      }
      total += v;
    }
    if (!(total > 0))
      throw new Error(`${op}: invalid multinomial distribution (sum of probabilities <= 0) in row ${r}`);
    const dst = picked.subarray(r * n, (r + 1) * n);
    if (replacement) drawWithReplacement(row, total, dst, g);
    else drawWithoutReplacement(row, dst, g);
  }
  const shape = x.ndim === 1 ? [n] : [rows, n];
  return upload(op, picked, shape, 'int64', { device: x.device });
}

/** Inverse-CDF draws: the first category whose cumulative weight exceeds u·total. */
function drawWithReplacement(row: Float64Array, total: number, dst: Float64Array, g: Generator): void {
  const cum = new Float64Array(row.length);
  let acc = 0;
  for (let j = 0; j < row.length; j++) cum[j] = acc += row[j];
  for (let s = 0; s < dst.length; s++) {
    const target = g.random() * total;
    let lo = 0;
    let hi = row.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    // Rounding can leave target at the very top; the last category with weight takes it.
    while (row[lo] === 0 && lo > 0) lo--;
    dst[s] = lo;
  }
}

/** The categories with the largest weight / Exp(1) keys, largest first (ties: lower index first). */
function drawWithoutReplacement(row: Float64Array, dst: Float64Array, g: Generator): void {
  const keys = Array.from(row, (v) => v / exponential(g));
  const order = Array.from({ length: row.length }, (_, j) => j).sort((a, b) => keys[b] - keys[a] || a - b);
  for (let s = 0; s < dst.length; s++) dst[s] = order[s];
}

/**
 * Ones with probability p and zeros otherwise: with one argument, each element of `input` is its
 * own p (floating point, in [0, 1]; the result has its dtype and, as PyTorch's, a zero gradient);
 * with a number `p`, a tensor of `input`'s shape and dtype drawn with that p. PyTorch's
 * `torch.bernoulli`.
 *
 * ```ts
 * bernoulli(full([3], 0.5));   // e.g. tensor([0., 1., 1.])
 * bernoulli(zeros(2, 2), 0.1);
 * ```
 */
export function bernoulli(input: Tensor, ...rest: PosOrOpts<[p: number | null], BernoulliOptions>): Tensor {
  const a = BERNOULLI.parse<{ input: Tensor } & BernoulliOptions>([input, ...rest]);
  const op = 'bernoulli';
  const x = checkTensor(op, a.input);
  const g = a.generator ?? defaultGenerator;
  const n = x.numel();
  if (a.p !== undefined && a.p !== null) {
    const p = a.p;
    if (!(p >= 0 && p <= 1)) throw new Error(`${op}: expects p to be in [0, 1], but got p = ${p}`);
    const drawn = hostDraw(n, (m) => {
      const v = g.randoms(m);
      for (let i = 0; i < m; i++) v[i] = v[i] < p ? 1 : 0;
      return v;
    });
    return upload(op, drawn, x.shape, x.dtype, { device: x.device });
  }
  const values = new Float64Array(n);
  if (!isFloat(x.dtype)) {
    throw new Error(
      `${op}: the probabilities must be a floating point tensor, got ${x.dtype} ${fmtShape(x.shape)} (use .float(), or bernoulli(input, p) for a fixed p)`,
    );
  }
  const probs = n > 0 ? hostNumbers(op, x) : new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const p = probs[i];
    if (!(p >= 0 && p <= 1)) {
      throw new Error(
        `${op}: expects every probability to be in [0, 1], got ${p} at flat index ${i} of ${fmtShape(x.shape)}`,
      );
    }
    values[i] = g.random() < p ? 1 : 0;
  }
  const y = upload(op, values, x.shape, x.dtype, { device: x.device });
  return withZeroGrad('BernoulliBackward', y, [x]);
}

/**
 * Normal samples with the given `mean` and `std`, PyTorch's `torch.normal` overloads:
 * `normal(meanTensor, stdTensor)` (shapes broadcast), `normal(meanTensor, std = 1)`,
 * `normal(mean, stdTensor)`, and `normal(mean, std, size, { dtype, device, requiresGrad })`.
 * A tensor mean or std must be floating point and std >= 0; the result has the dtype of the mean
 * tensor (else of the std tensor) and, as in PyTorch, a zero gradient to both.
 *
 * ```ts
 * normal(zeros(3), ones(3));
 * normal(0, 2, [2, 3], { generator: new Generator(1) });
 * ```
 */
export function normal(mean: Tensor, std?: Tensor | number, opts?: SamplingOptions): Tensor;
export function normal(mean: number, std: Tensor, opts?: SamplingOptions): Tensor;
export function normal(mean: number, std: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function normal(opts: NormalOptions & { mean: Tensor | number; std?: Tensor | number }): Tensor;
export function normal(...args: unknown[]): Tensor {
  // `normal(meanTensor)` and `normal(meanTensor, opts)`: std defaults to 1 with a tensor mean.
  const first = args[0];
  const second = args[1];
  if (
    first instanceof Tensor &&
    (second === undefined || (!(second instanceof Tensor) && typeof second !== 'number'))
  ) {
    args = [first, 1, ...args.slice(1)];
  } else if (first !== null && typeof first === 'object' && !(first instanceof Tensor) && !('std' in first)) {
    args = [{ std: 1, ...(first as object) }];
  }
  const a = NORMAL.parse<{ mean: Tensor | number; std: Tensor | number } & NormalOptions>(args);
  const op = 'normal';
  const g = a.generator ?? defaultGenerator;
  const { mean, std } = a;
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (a.size === undefined || a.size === null) {
      throw new Error(`${op}: with a number mean and std, give the size: normal(${mean}, ${std}, [sizes])`);
    }
    const shape = checkSize(op, a.size);
    const dtype = a.dtype ?? 'float32';
    checkNormalDtype(op, dtype);
    if (!(std >= 0)) throw new Error(`${op}: expects std >= 0.0, but found std ${std}`);
    const values = hostDraw(sizeOf(shape), (m) =>
      sampleNormal(
        m,
        () => mean,
        () => std,
        g,
      ),
    );
    return upload(op, values, shape, dtype, { device: a.device ?? undefined, requiresGrad: a.requiresGrad });
  }
  for (const name of ['size', 'dtype', 'device', 'requiresGrad'] as const) {
    if (a[name] !== undefined && a[name] !== null) {
      throw new Error(
        `${op}: '${name}' is only taken with a number mean and std (the tensors give the result's ${name === 'size' ? 'shape' : name})`,
      );
    }
  }
  const tensors = [mean, std].filter((v): v is Tensor => v instanceof Tensor);
  tensors.forEach((t) => {
    checkTensor(op, t);
    if (!isFloat(t.dtype))
      throw new Error(`${op}: mean and std must be floating point, got ${t.dtype} ${fmtShape(t.shape)}`);
  });
  const like = tensors[0];
  for (const t of tensors) {
    if (t.device !== like.device)
      throw new Error(`${op}: tensors are on different devices: ${like.device} and ${t.device} (use .to())`);
  }
  const shape =
    mean instanceof Tensor && std instanceof Tensor
      ? broadcastShapes(op, mean.shape, std.shape)
      : [...like.shape];
  const n = sizeOf(shape);
  const at = (v: Tensor | number): ((i: number) => number) => {
    if (typeof v === 'number') return () => v;
    const data = n > 0 ? hostNumbers(op, v) : new Float64Array(0);
    const index = broadcastIndex(v.shape, shape);
    return (i) => data[index(i)];
  };
  const meanAt = at(mean);
  const stdAt = at(std);
  if (typeof std === 'number') {
    if (!(std >= 0)) throw new Error(`${op}: expects std >= 0.0, but found std ${std}`);
  } else {
    for (let i = 0; i < n; i++) {
      if (!(stdAt(i) >= 0)) throw new Error(`${op}: expects all elements of std >= 0.0, found ${stdAt(i)}`);
    }
  }
  const values = sampleNormal(n, meanAt, stdAt, g);
  const y = upload(op, values, shape, like.dtype, { device: like.device });
  return withZeroGrad('NormalBackward', y, tensors);
}

function checkNormalDtype(op: string, dtype: DType): void {
  if (!isFloat(dtype))
    throw new Error(`${op}: not implemented for ${dtype} (normal samples are floating point)`);
}

function sampleNormal(
  n: number,
  mean: (i: number) => number,
  std: (i: number) => number,
  g: Generator,
): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = mean(i) + std(i) * g.normal();
  return v;
}

/** Maps a flat index of `shape` to the flat index of `from` broadcast to it. */
function broadcastIndex(from: readonly number[], shape: readonly number[]): (i: number) => number {
  const lead = shape.length - from.length;
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    strides[d + lead] = from[d] === 1 ? 0 : s;
    s *= from[d];
  }
  return (i) => {
    let j = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      j += (i % shape[d]) * strides[d];
      i = Math.floor(i / shape[d]);
    }
    return j;
  };
}
