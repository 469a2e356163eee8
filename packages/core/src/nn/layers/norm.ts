// Normalisation layers: BatchNorm1d/2d (PyTorch's buffers running_mean, running_var,
// num_batches_tracked) and LayerNorm.
import { noGrad } from '../../autograd/grad-mode.js';
import {
  bool,
  ext,
  int,
  intOrTuple,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  type Signature,
  signature,
  str,
} from '../../signature/signature.js';
import { full, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../functional/conv-args.js';
import { batchNorm, layerNorm } from '../functional/norm.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyTuple } from './conv-repr.js';

// PyTorch's nn.BatchNorm1d/2d(num_features, eps=1e-5, momentum=0.1, affine=True,
// track_running_stats=True, device=None, dtype=None).
const batchNormSignature = (owner: string): Signature =>
  signature(owner, [
    req('numFeatures', int),
    opt('eps', num),
    opt('momentum', optional(num)),
    opt('affine', bool),
    opt('trackRunningStats', bool),
    opt('device', str),
    opt('dtype', oneOf('float32', 'float64')),
  ]);
const BATCH_NORM1D = batchNormSignature('BatchNorm1d');
const BATCH_NORM2D = batchNormSignature('BatchNorm2d');
// PyTorch 1.13's nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, device=None, dtype=None).
const LAYER_NORM = signature('LayerNorm', [
  req('normalizedShape', intOrTuple),
  opt('eps', num),
  opt('elementwiseAffine', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
  // PyTorch >= 2.1's bias (after elementwise_affine there); by name here, 1.13 has none.
  ext('bias', bool),
]);

/** The batch-norm constructors' optional positionals, in PyTorch's order. */
type BatchNormRest = PosOrOpts<
  [
    eps: number,
    momentum: number | null,
    affine: boolean,
    trackRunningStats: boolean,
    device: string,
    dtype: 'float32' | 'float64',
  ],
  BatchNormOptions
>;

/** Options of the batch-norm layers. */
export interface BatchNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running stats (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running stats for eval (default true); otherwise batch stats are used in eval too. */
  trackRunningStats?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * PyTorch's `_BatchNorm`: parameters, buffers, the running-stat update and repr. In training
 * each channel is normalised by the batch's mean and biased variance (over N and the spatial
 * dims) and the running statistics are updated; in eval mode by the running statistics. The
 * constructor throws unless numFeatures is a positive integer.
 */
export abstract class BatchNormBase extends Module {
  /** The learnable per-channel scale `[numFeatures]` (ones at first), or null without affine. */
  weight: Parameter | null;
  /** The learnable per-channel shift `[numFeatures]` (zeros at first), or null without affine. */
  bias: Parameter | null;
  /** Number of channels C of the input. */
  readonly numFeatures: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Weight of the new batch in the running stats; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether {@link weight} and {@link bias} are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;
  /** Buffer: the running mean `[numFeatures]` (zeros at first), or null without trackRunningStats. */
  declare running_mean: Tensor | null;
  /**
   * Buffer: the running unbiased variance `[numFeatures]` (ones at first), or null without
   * trackRunningStats.
   */
  declare running_var: Tensor | null;
  /** Buffer: the int64 count of training batches seen, or null without trackRunningStats. */
  declare num_batches_tracked: Tensor | null;

  protected constructor(numFeatures: number, opts: BatchNormOptions) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new Error(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    }
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const t = { dtype: opts.dtype ?? 'float32', device: opts.device } as const;
    this.weight = this.affine ? Parameter._adopt(full([numFeatures], 1, t)) : null;
    this.bias = this.affine ? Parameter._adopt(zeros([numFeatures], t)) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], t));
      this.registerBuffer('running_var', full([numFeatures], 1, t));
      this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int64', device: opts.device }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
  }

  /** Throws unless `input` has a rank this layer accepts. */
  protected abstract checkInput(input: Tensor): void;

  /** Zeroes the running stats (mean 0, variance 1, count 0). */
  resetRunningStats(): void {
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** Resets running stats, weight (ones) and bias (zeros). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked) {
      const n = this.num_batches_tracked;
      noGrad(() => n.add_(1));
      // momentum null: cumulative moving average over the batches seen.
      if (this.momentum === null) factor = 1 / n.item();
    }
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const track = !this.training || this.trackRunningStats;
    return batchNorm(
      input,
      track ? this.running_mean : null,
      track ? this.running_var : null,
      this.weight,
      this.bias,
      useBatchStats,
      factor,
      this.eps,
    );
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, ` +
      `track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}

/**
 * `torch.nn.BatchNorm1d`: batch normalisation over `(N, C)` or `(N, C, L)` (per channel C);
 * output of the input's shape. Forward throws for input of another rank.
 *
 * ```ts
 * const bn = new nn.BatchNorm1d(64);
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, ...rest: BatchNormRest) {
    const opts = BATCH_NORM1D.parse<BatchNormOptions & { numFeatures: number }>([numFeatures, ...rest]);
    super(opts.numFeatures, opts);
  }

  protected checkInput(input: Tensor): void {
    if (input?.ndim !== 2 && input?.ndim !== 3) {
      throw new Error(
        `BatchNorm1d: expected 2D or 3D input [N, C] or [N, C, L] (got ${input?.ndim}D input ${fmt(input?.shape ?? [])})`,
      );
    }
  }
}

/**
 * `torch.nn.BatchNorm2d`: batch normalisation over `(N, C, H, W)` (per channel C); output of the
 * input's shape. Forward throws for input of another rank.
 *
 * ```ts
 * const bn = new nn.BatchNorm2d(32, { momentum: 0.01 });
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, ...rest: BatchNormRest) {
    const opts = BATCH_NORM2D.parse<BatchNormOptions & { numFeatures: number }>([numFeatures, ...rest]);
    super(opts.numFeatures, opts);
  }

  protected checkInput(input: Tensor): void {
    if (input?.ndim !== 4) {
      throw new Error(
        `BatchNorm2d: expected 4D input [N, C, H, W] (got ${input?.ndim}D input ${fmt(input?.shape ?? [])})`,
      );
    }
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale and shift of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift (default true; PyTorch >= 2.1's `bias`). */
  bias?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.LayerNorm`: layer normalisation over the trailing `normalizedShape` dims (mean and
 * biased variance per sample), then the elementwise affine. Input `(N, ∗)` ending in
 * normalizedShape; output of the same shape. The constructor throws unless normalizedShape holds
 * positive integers; forward throws when the input does not end in it.
 *
 * ```ts
 * const ln = new nn.LayerNorm(512); // x [..., 512]
 * ```
 */
export class LayerNorm extends Module {
  /** The learnable scale of shape normalizedShape (ones at first), or null without elementwiseAffine. */
  weight: Parameter | null;
  /**
   * The learnable shift of shape normalizedShape (zeros at first), or null without elementwiseAffine or
   * bias.
   */
  bias: Parameter | null;
  /** The trailing dims normalised over. */
  readonly normalizedShape: number[];
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether {@link weight} (and {@link bias}) are learned. */
  readonly elementwiseAffine: boolean;

  constructor(
    normalizedShape: number | readonly number[],
    ...rest: PosOrOpts<
      [eps: number, elementwiseAffine: boolean, device: string, dtype: 'float32' | 'float64'],
      LayerNormOptions
    >
  ) {
    super();
    const opts = LAYER_NORM.parse<LayerNormOptions & { normalizedShape: number | readonly number[] }>([
      normalizedShape,
      ...rest,
    ]);
    normalizedShape = opts.normalizedShape;
    const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (ns.length === 0 || !ns.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(
        `LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`,
      );
    }
    this.normalizedShape = ns;
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const t = { dtype: opts.dtype ?? 'float32', device: opts.device } as const;
    this.weight = this.elementwiseAffine ? Parameter._adopt(full(ns, 1, t)) : null;
    this.bias = this.elementwiseAffine && opts.bias !== false ? Parameter._adopt(zeros(ns, t)) : null;
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
