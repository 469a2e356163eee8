// Counting values: bincount, histc (table entries, ops/table.ts). The result's size depends on
// the data (bincount) or is small and exact (histc), so both read the input back once
// (synchronously) and count on the host, then upload the counts; a backend that only reads
// asynchronously gets a clear error. histc bins exactly as PyTorch 1.13's CPU kernel does,
// float32 arithmetic emulated, so borderline elements land in the same bin.
import type { DType } from '../backend/types.js';
import {
  int,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { hostValues } from './host-values.js';
import { noDerivative } from './no-derivative.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

/** bincount(input, weights=None, minlength=0) */
const BINCOUNT = sig('bincount', [
  req('input', tensor),
  opt('weights', optional(tensor)),
  opt('minlength', int),
]);

/** Options of {@link bincount}. */
export interface BincountOptions {
  /** Per-element weights (same length as the input): the bins sum them instead of counting. */
  weights?: Tensor | null;
  /** Minimum number of bins (default 0). */
  minlength?: number;
}

/**
 * How often each value 0, 1, … occurs in a 1-D tensor of non-negative integers: an int64 tensor
 * of length `max(input) + 1` (at least `minlength`); with `weights`, the sum of the weights of
 * each value (in the weights' float dtype, float64 for integer weights, as PyTorch). No
 * derivative (as in PyTorch). Reads the input back to size the result.
 *
 * ```ts
 * bincount(tensor([0, 2, 2], { dtype: 'int64' }));       // tensor([1, 0, 2])
 * bincount(idx, w, 5);                                    // or bincount(idx, { weights: w, minlength: 5 })
 * ```
 */
export function bincount(
  x: Tensor,
  ...rest: PosOrOpts<[weights: Tensor | null, minlength: number], BincountOptions>
): Tensor {
  const a = BINCOUNT.parse<{ input: Tensor } & BincountOptions>([x, ...rest]);
  const op = 'bincount';
  const input = checkTensor(op, a.input);
  if (isFloat(input.dtype) || input.dtype === 'bool' || input.ndim !== 1) {
    throw new Error(
      `${op}: only supports 1-d non-negative integral inputs (as in PyTorch), got ${input.dtype} ${fmtShape(input.shape)}`,
    );
  }
  const minlength = a.minlength ?? 0;
  if (minlength < 0) throw new Error(`${op}: minlength should be >= 0, got ${minlength}`);
  const values = hostValues(op, input);
  if (values.some((i) => i < 0))
    throw new Error(`${op}: only supports 1-d non-negative integral inputs, got a negative value`);
  const w = a.weights ?? null;
  if (w !== null && (w.ndim !== 1 || w.numel() !== values.length)) {
    throw new Error(
      `${op}: weights should be 1-d and have the same length as input (${values.length}), got ${fmtShape(w.shape)}`,
    );
  }
  const n = Math.max(
    minlength,
    values.reduce((m, i) => Math.max(m, i + 1), 0),
  );
  if (w === null) {
    const counts = new BigInt64Array(n);
    for (const i of values) counts[i]++;
    return fromArray(op, counts, [n], 'int64', { device: input.device });
  }
  // PyTorch: float weights give their own dtype (summed in it, in input order), others float64
  const dtype = isFloat(w.dtype) ? w.dtype : 'float64';
  const round = dtype === 'float64' ? (s: number) => s : Math.fround;
  const weights = hostValues(op, w);
  const sums = new Float64Array(n);
  values.forEach((i, k) => {
    sums[i] = round(sums[i] + weights[k]);
  });
  const out = fromArray(op, sums, [n], dtype, { device: input.device });
  return isFloat(w.dtype) ? noDerivative(op, out, [w]) : out;
}

/** histc(input, bins=100, min=0, max=0, *, out=None) */
const HISTC = sig('histc', [
  req('input', tensor),
  opt('bins', int),
  opt('min', num),
  opt('max', num),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor', true),
]);

/** Options of {@link histc}. */
export interface HistcOptions {
  /** Number of equal-width bins (default 100). */
  bins?: number;
  /** Lower end of the range (default 0; `min` and `max` both 0 use the data's minimum and maximum). */
  min?: number;
  /** Upper end of the range (default 0: see `min`). Elements outside the range are ignored. */
  max?: number;
}

/**
 * The histogram of the elements in `bins` equal-width bins over `[min, max]` (the data's own
 * range when both are 0, widened by 1 each way when it is a single value), as a tensor of the
 * input's dtype; elements outside the range are ignored, the last bin includes `max`. Floating
 * point inputs only; not differentiable, as in PyTorch. NaN elements are ignored (PyTorch 1.13's
 * CPU kernel counts them in the first bin). Reads the input back.
 *
 * ```ts
 * histc(tensor([1, 2, 1]), 4, 0, 3); // tensor([0., 2., 1., 0.])
 * ```
 */
export function histc(
  x: Tensor,
  ...rest: PosOrOpts<[bins: number, min: number, max: number], HistcOptions>
): Tensor {
  const a = HISTC.parse<{ input: Tensor } & HistcOptions>([x, ...rest]);
  const op = 'histc';
  const input = checkTensor(op, a.input);
  if (!isFloat(input.dtype)) {
    throw new Error(
      `${op}: not implemented for ${input.dtype} ${fmtShape(input.shape)} (floating point only, as in PyTorch)`,
    );
  }
  const bins = a.bins ?? 100;
  if (bins <= 0) throw new Error(`${op}: bins must be > 0, got ${bins}`);
  const values = hostValues(op, input);
  let lo = a.min ?? 0;
  let hi = a.max ?? 0;
  if (lo === hi && values.length > 0) {
    // the data's range (NaN when any element is NaN, as aminmax gives it)
    lo = values.some(Number.isNaN) ? Number.NaN : Math.min(...values);
    hi = values.some(Number.isNaN) ? Number.NaN : Math.max(...values);
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new Error(`${op}: range of [${lo}, ${hi}] is not finite`);
  if (!(lo < hi)) throw new Error(`${op}: max must be larger than min (got min ${lo}, max ${hi})`);
  const counts = binCounts(values, bins, lo, hi, input.dtype);
  return fromArray(op, counts, [bins], input.dtype, { device: input.device });
}

/**
 * PyTorch's LINEAR_INTERPOLATION binning (aten/src/ATen/native/cpu/HistogramKernel.cpp, as
 * histc uses it): the edges are the input dtype's, and the bin is
 * `trunc(((x - lo) / (hi - lo)) * bins)` rounded in that dtype at each step (measured against
 * PyTorch 1.13: this order of operations, in float32 for float32 input, matches it exactly).
 */
function binCounts(
  values: readonly number[],
  bins: number,
  min: number,
  max: number,
  dtype: DType,
): Float64Array {
  const r = dtype === 'float64' ? (v: number) => v : Math.fround;
  const lo = r(min);
  const hi = r(max);
  const width = r(hi - lo);
  const counts = new Float64Array(bins);
  for (const v of values) {
    const x = r(v);
    if (!(x >= lo && x <= hi)) continue;
    let pos = Math.trunc(r(r(r(x - lo) / width) * bins));
    if (pos >= bins) pos = bins - 1;
    counts[pos]++;
  }
  return counts;
}

const OPS = defineOps({
  bincount: {
    fn: bincount,
    grad: false,
    cases: [
      c('counts', [v([0, 2, 2, 5, 1, 2], { dtype: 'int64' })]),
      c('minlength', [v([1, 1, 3], { dtype: 'int64' })], [null, 6]),
      c('minlength_smaller', [v([1, 4], { dtype: 'int64' })], [], { minlength: 2 }),
      c('weights', [v([0, 2, 2, 1], { dtype: 'int64' }), t([4])]),
      c('int_weights', [v([0, 2, 2], { dtype: 'int64' }), v([1, 2, 3], { dtype: 'int64' })]),
      c('float64_weights', [v([0, 2, 2], { dtype: 'int64' }), t([3], 'normal', { dtype: 'float64' })]),
      c('minlength_kw', [v([3, 0, 3], { dtype: 'int64' })], [], { minlength: 5 }),
      c('int32', [v([2, 0, 2], { dtype: 'int32' })]),
      c('uint8', [v([2, 0, 2], { dtype: 'uint8' })]),
      c('empty', [t([0], 'smallint', { dtype: 'int64' })]),
      c('negative', [v([1, -1], { dtype: 'int64' })], [], undefined, { throws: true }),
      c('float', [v([1, 2])], [], undefined, { throws: true }),
      c('2d', [v([1, 2, 0, 1], { dtype: 'int64', shape: [2, 2] })], [], undefined, { throws: true }),
    ],
  },
  histc: {
    fn: histc,
    grad: false,
    cases: [
      c('default_bins', [t([50])]),
      c('range', [t([40])], [8, -1, 1]),
      c('kwargs', [t([5, 6])], [], { bins: 5, min: -0.5, max: 2 }),
      c('edges', [v(Array.from({ length: 41 }, (_, i) => (i - 5) / 10))], [6, -0.3, 3.3]),
      c('sevenths', [v(Array.from({ length: 33 }, (_, i) => (i - 3) / 7))], [7, 0, 1]),
      c('single_value', [v([2, 2, 2])], [4]),
      c('float64', [t([30], 'normal', { dtype: 'float64' })], [7, -2, 2]),
      c('max_included', [v([0, 1, 2, 3, 4])], [4, 0, 4]),
      c('int', [v([1, 2, 3], { dtype: 'int64' })], [3], undefined, { throws: true }),
      c('infinite_range', [v([1, Number.POSITIVE_INFINITY])], [2], undefined, { throws: true }),
      c('inverted_range', [v([1])], [2, 3, 1], undefined, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./histogram.js'), typeof OPS> {}
}
