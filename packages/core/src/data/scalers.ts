import type { DType, TypedArray } from '../backend/types.js';
import { fromArray } from '../tensor/creation.js';
import { allocArray, isFloat } from '../tensor/dtype.js';
import { keep } from '../tensor/scope.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Reads `x` as `[n, features]` float64 columns' source; statistics are taken in float64. */
function readSamples(op: string, x: Tensor): { values: ArrayLike<number>; n: number; f: number } {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor`);
  if (x.ndim < 1 || x.shape[0] === 0)
    throw new Error(`${op}: expected at least one sample along dim 0, got shape ${fmtShape(x.shape)}`);
  const n = x.shape[0];
  const values = x.dtype === 'int64' ? Float64Array.from(x.dataSync<BigInt64Array>(), Number) : x.dataSync();
  return { values, n, f: x.numel() / n };
}

function statTensor(values: Float64Array, like: Tensor): Tensor {
  const dtype: DType = isFloat(like.dtype) ? like.dtype : 'float32';
  const out = allocArray(dtype, values.length) as TypedArray;
  out.set(values);
  return keep(fromArray('scaler', out, like.shape.slice(1), dtype, { device: like.device }));
}

/** Shared fit-state handling of the scalers. */
abstract class Scaler {
  /** The fitted statistics' tensors, freed by the next fit or {@link dispose}. */
  protected fitted: Tensor[] = [];
  /** The shape of one sample (`x.shape.slice(1)`) at fit time; null until fitted. */
  protected featureShape: readonly number[] | null = null;

  /** Fits, then transforms `x`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /**
   * Learns the per-feature statistics of `x` (samples along dim 0; any dtype, read in
   * float64), replacing an earlier fit's; returns this (scikit-learn's `fit`).
   *
   * @throws Error when `x` is not a tensor or has no sample along dim 0.
   */
  abstract fit(x: Tensor): this;
  /**
   * Scales `x` with the fitted statistics (scikit-learn's `transform`); a float tensor of
   * `x`'s shape.
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  abstract transform(x: Tensor): Tensor;
  /**
   * Undoes {@link transform} (scikit-learn's `inverse_transform`).
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  abstract inverseTransform(x: Tensor): Tensor;

  /** Frees the fitted statistics. */
  dispose(): void {
    for (const t of this.fitted) t.dispose();
    this.fitted = [];
    this.featureShape = null;
  }

  /** Throws, naming `op`, unless the scaler is fitted on `x`'s sample shape. */
  protected check(op: string, x: Tensor): void {
    if (this.featureShape === null)
      throw new Error(`${op}: this scaler is not fitted yet; call fit(x) first`);
    const s = x.shape.slice(1);
    if (s.length !== this.featureShape.length || s.some((d, i) => d !== this.featureShape![i])) {
      throw new Error(
        `${op}: x has shape ${fmtShape(x.shape)} but the scaler was fitted on features ${fmtShape(this.featureShape)}`,
      );
    }
  }

  /** Records the new statistics, freeing the previous fit's. */
  protected fitted_(shape: readonly number[], ...stats: Tensor[]): void {
    for (const t of this.fitted) t.dispose();
    this.fitted = stats;
    this.featureShape = shape;
  }
}

/** Options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the mean (scikit-learn's `with_mean`, default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (scikit-learn's `with_std`, default true). */
  withStd?: boolean;
}

/**
 * Standardises each feature (dim 0 holds samples) to zero mean and unit variance, like
 * scikit-learn's `StandardScaler`: the biased standard deviation, and a scale of 1 for
 * constant features. The fitted `mean`, `var` and `scale` tensors are exempt from `tidy()`
 * (free them with `dispose()`).
 *
 * @example
 * ```ts
 * const scaler = new data.StandardScaler();
 * const xTrain = scaler.fitTransform(randn(100, 3).mul(5).add(2));
 * const xTest = scaler.transform(randn(20, 3));
 * ```
 */
export class StandardScaler extends Scaler {
  /** Whether the mean is subtracted. */
  readonly withMean: boolean;
  /** Whether values are divided by the standard deviation. */
  readonly withStd: boolean;
  /** The per-feature mean (scikit-learn's `mean_`), of the sample shape; null until fitted. */
  mean: Tensor | null = null;
  /** The per-feature biased variance (scikit-learn's `var_`); null until fitted. */
  var: Tensor | null = null;
  /** The per-feature divisor: the standard deviation, 1 for constant features (scikit-learn's `scale_`). */
  scale: Tensor | null = null;

  constructor(opts: StandardScalerOptions = {}) {
    super();
    this.withMean = opts.withMean ?? true;
    this.withStd = opts.withStd ?? true;
  }

  /**
   * Learns the per-feature statistics of `x` (samples along dim 0; any dtype, read in
   * float64), replacing an earlier fit's; returns this (scikit-learn's `fit`).
   *
   * @throws Error when `x` is not a tensor or has no sample along dim 0.
   */
  fit(x: Tensor): this {
    const { values, n, f } = readSamples('StandardScaler.fit', x);
    const mean = new Float64Array(f);
    const v = new Float64Array(f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += values[i * f + j];
    for (let j = 0; j < f; j++) mean[j] /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const d = values[i * f + j] - mean[j];
        v[j] += d * d;
      }
    }
    for (let j = 0; j < f; j++) v[j] /= n;
    const scale = v.map((s) => (s === 0 ? 1 : Math.sqrt(s)));
    this.mean = statTensor(mean, x);
    this.var = statTensor(v, x);
    this.scale = statTensor(scale, x);
    this.fitted_(x.shape.slice(1), this.mean, this.var, this.scale);
    return this;
  }

  /**
   * `(x - mean) / scale`, each part as `withMean` and `withStd` say (scikit-learn's
   * `transform`): a float tensor of `x`'s shape.
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  transform(x: Tensor): Tensor {
    this.check('StandardScaler.transform', x);
    let out = this.withMean ? x.sub(this.mean!) : x.float();
    if (this.withStd) out = out.div(this.scale!);
    return out;
  }

  /**
   * `x * scale + mean` (each part as `withStd` and `withMean` say): undoes {@link transform}
   * (scikit-learn's `inverse_transform`).
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  inverseTransform(x: Tensor): Tensor {
    this.check('StandardScaler.inverseTransform', x);
    let out = this.withStd ? x.mul(this.scale!) : x.float();
    if (this.withMean) out = out.add(this.mean!);
    return out;
  }

  override dispose(): void {
    super.dispose();
    this.mean = this.var = this.scale = null;
  }
}

/**
 * Scales each feature (dim 0 holds samples) to `featureRange` (default [0, 1]), like
 * scikit-learn's `MinMaxScaler`: `x * scale + min` with `scale = (hi - lo) / (max - min)`
 * (a constant feature gets range 1). The fitted tensors are exempt from `tidy()` (free them
 * with `dispose()`).
 *
 * @throws Error when `featureRange[0]` is not below `featureRange[1]`.
 *
 * @example
 * ```ts
 * const scaler = new data.MinMaxScaler([-1, 1]);
 * const scaled = scaler.fitTransform(tensor([[0, 10], [5, 20], [10, 30]])); // columns to [-1, 1]
 * ```
 */
export class MinMaxScaler extends Scaler {
  /** The target range `[lo, hi]` of each feature (scikit-learn's `feature_range`). */
  readonly featureRange: readonly [number, number];
  /** The per-feature minimum seen by `fit` (scikit-learn's `data_min_`); null until fitted. */
  dataMin: Tensor | null = null;
  /** The per-feature maximum seen by `fit` (scikit-learn's `data_max_`); null until fitted. */
  dataMax: Tensor | null = null;
  /** The per-feature multiplier (scikit-learn's `scale_`). */
  scale: Tensor | null = null;
  /** The per-feature offset (scikit-learn's `min_`). */
  min: Tensor | null = null;

  constructor(featureRange: readonly [number, number] = [0, 1]) {
    super();
    if (!(featureRange[0] < featureRange[1])) {
      throw new Error(
        `MinMaxScaler: minimum of the desired feature range must be smaller than the maximum, got [${featureRange}]`,
      );
    }
    this.featureRange = featureRange;
  }

  /**
   * Learns the per-feature statistics of `x` (samples along dim 0; any dtype, read in
   * float64), replacing an earlier fit's; returns this (scikit-learn's `fit`).
   *
   * @throws Error when `x` is not a tensor or has no sample along dim 0.
   */
  fit(x: Tensor): this {
    const { values, n, f } = readSamples('MinMaxScaler.fit', x);
    const lo = new Float64Array(f).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(f).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const v = values[i * f + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
    const [a, b] = this.featureRange;
    const scale = lo.map((l, j) => (b - a) / (hi[j] - l === 0 ? 1 : hi[j] - l));
    const min = lo.map((l, j) => a - l * scale[j]);
    this.dataMin = statTensor(lo, x);
    this.dataMax = statTensor(hi, x);
    this.scale = statTensor(scale, x);
    this.min = statTensor(min, x);
    this.fitted_(x.shape.slice(1), this.dataMin, this.dataMax, this.scale, this.min);
    return this;
  }

  /**
   * `x * scale + min` (scikit-learn's `transform`): a float tensor of `x`'s shape.
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  transform(x: Tensor): Tensor {
    this.check('MinMaxScaler.transform', x);
    return x.mul(this.scale!).add(this.min!);
  }

  /**
   * `(x - min) / scale`: undoes {@link transform} (scikit-learn's `inverse_transform`).
   *
   * @throws Error before `fit`, or when `x`'s sample shape differs from the fitted one.
   */
  inverseTransform(x: Tensor): Tensor {
    this.check('MinMaxScaler.inverseTransform', x);
    return x.sub(this.min!).div(this.scale!);
  }

  override dispose(): void {
    super.dispose();
    this.dataMin = this.dataMax = this.scale = this.min = null;
  }
}
