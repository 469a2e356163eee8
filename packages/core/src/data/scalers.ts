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
  protected fitted: Tensor[] = [];
  protected featureShape: readonly number[] | null = null;

  /** Fits, then transforms `x`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  abstract fit(x: Tensor): this;
  abstract transform(x: Tensor): Tensor;
  abstract inverseTransform(x: Tensor): Tensor;

  /** Frees the fitted statistics. */
  dispose(): void {
    for (const t of this.fitted) t.dispose();
    this.fitted = [];
    this.featureShape = null;
  }

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
  withMean?: boolean;
  withStd?: boolean;
}

/**
 * Standardises each feature (dim 0 holds samples) to zero mean and unit variance, like
 * scikit-learn's `StandardScaler`: the biased standard deviation, and a scale of 1 for
 * constant features. The fitted `mean`, `var` and `scale` tensors are exempt from `tidy()`.
 */
export class StandardScaler extends Scaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  mean: Tensor | null = null;
  var: Tensor | null = null;
  scale: Tensor | null = null;

  constructor(opts: StandardScalerOptions = {}) {
    super();
    this.withMean = opts.withMean ?? true;
    this.withStd = opts.withStd ?? true;
  }

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

  transform(x: Tensor): Tensor {
    this.check('StandardScaler.transform', x);
    let out = this.withMean ? x.sub(this.mean!) : x.float();
    if (this.withStd) out = out.div(this.scale!);
    return out;
  }

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
 * (a constant feature gets range 1).
 */
export class MinMaxScaler extends Scaler {
  readonly featureRange: readonly [number, number];
  dataMin: Tensor | null = null;
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

  transform(x: Tensor): Tensor {
    this.check('MinMaxScaler.transform', x);
    return x.mul(this.scale!).add(this.min!);
  }

  inverseTransform(x: Tensor): Tensor {
    this.check('MinMaxScaler.inverseTransform', x);
    return x.sub(this.min!).div(this.scale!);
  }

  override dispose(): void {
    super.dispose();
    this.dataMin = this.dataMax = this.scale = this.min = null;
  }
}
