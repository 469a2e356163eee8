// InstanceNorm1d/2d/3d: PyTorch's _InstanceNorm — per-sample, per-channel normalisation, with
// optional affine parameters and optional running statistics (off by default), and unbatched
// input (one dim fewer) taken as a batch of one.
import { noGrad } from '../../autograd/grad-mode.js';
import {
  bool,
  int,
  num,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  type Signature,
  signature,
  str,
} from '../../signature/signature.js';
import { full, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../functional/conv-args.js';
import { instanceNorm } from '../functional/instance-norm.js';
import { warnOnce } from '../functional/warn-once.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat } from './conv-repr.js';

// PyTorch's nn.InstanceNorm1d/2d/3d(num_features, eps=1e-5, momentum=0.1, affine=False,
// track_running_stats=False, device=None, dtype=None).
const instanceNormSignature = (owner: string): Signature =>
  signature(owner, [
    req('numFeatures', int),
    opt('eps', num),
    opt('momentum', num),
    opt('affine', bool),
    opt('trackRunningStats', bool),
    opt('device', str),
    opt('dtype', oneOf('float32', 'float64')),
  ]);
const SIGNATURES = {
  InstanceNorm1d: instanceNormSignature('InstanceNorm1d'),
  InstanceNorm2d: instanceNormSignature('InstanceNorm2d'),
  InstanceNorm3d: instanceNormSignature('InstanceNorm3d'),
};

/** Options of the instance-norm layers. */
export interface InstanceNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running stats (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale and shift (default false). */
  affine?: boolean;
  /** Keep running statistics, used in eval mode (default false). */
  trackRunningStats?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

type Rest = PosOrOpts<
  [
    eps: number,
    momentum: number,
    affine: boolean,
    trackRunningStats: boolean,
    device: string,
    dtype: 'float32' | 'float64',
  ],
  InstanceNormLayerOptions
>;

/** PyTorch's `_InstanceNorm`: parameters, buffers, the unbatched-input rule and the repr. */
abstract class InstanceNormBase extends Module {
  /** The learnable per-channel scale `[numFeatures]` (ones at first), or null without affine. */
  weight: Parameter | null;
  /** The learnable per-channel shift `[numFeatures]` (zeros at first), or null without affine. */
  bias: Parameter | null;
  /** Number of channels C of the input. */
  readonly numFeatures: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Weight of the new statistics in the running-stat update. */
  readonly momentum: number;
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
  /**
   * Buffer: an int64 scalar kept for PyTorch's state-dict layout (instance norm never increments it), or
   * null.
   */
  declare num_batches_tracked: Tensor | null;

  /** The rank of unbatched input ([C, L] for 1d: 2); batched input has one dim more. */
  protected abstract readonly noBatchDim: number;

  protected constructor(owner: keyof typeof SIGNATURES, numFeatures: number, rest: readonly unknown[]) {
    super();
    const o = SIGNATURES[owner].parse<InstanceNormLayerOptions & { numFeatures: number }>([
      numFeatures,
      ...rest,
    ]);
    if (o.numFeatures < 1)
      throw new Error(`${owner}: numFeatures must be a positive integer, got ${o.numFeatures}`);
    this.numFeatures = o.numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum ?? 0.1;
    this.affine = o.affine ?? false;
    this.trackRunningStats = o.trackRunningStats ?? false;
    const t = { dtype: o.dtype ?? 'float32', device: o.device } as const;
    const C = this.numFeatures;
    this.weight = this.affine ? Parameter._adopt(full([C], 1, t)) : null;
    this.bias = this.affine ? Parameter._adopt(zeros([C], t)) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([C], t) : null);
    this.registerBuffer('running_var', track ? full([C], 1, t) : null);
    // Registered as PyTorch's _NormBase does; instance norm never increments it.
    this.registerBuffer(
      'num_batches_tracked',
      track ? zeros([], { dtype: 'int64', device: o.device }) : null,
    );
  }

  /** Zeroes the running stats (mean 0, variance 1, count 0). */
  resetRunningStats(): void {
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** Resets the running stats, weight (ones) and bias (zeros). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    const name = this.constructor.name;
    const nb = this.noBatchDim;
    if (input?.ndim !== nb && input?.ndim !== nb + 1) {
      throw new Error(
        `${name}: expected ${nb}D or ${nb + 1}D input (got ${input?.ndim}D input ${fmt(input?.shape ?? [])})`,
      );
    }
    const featureDim = input.ndim - nb;
    const C = input.shape[featureDim];
    if (C !== this.numFeatures) {
      if (this.affine || this.trackRunningStats) {
        throw new Error(
          `${name}: expected input's size at dim=${featureDim} to match numFeatures (${this.numFeatures}), but got: ${C} (input ${fmt(input.shape)})`,
        );
      }
      warnOnce(
        `${name}: input's size at dim=${featureDim} does not match numFeatures. You can silence this warning by not passing in numFeatures, which is not used because affine=False`,
      );
    }
    const x = input.ndim === nb ? input.unsqueeze(0) : input;
    const y = instanceNorm(
      x,
      this.running_mean,
      this.running_var,
      this.weight,
      this.bias,
      this.training || !this.trackRunningStats,
      this.momentum,
      this.eps,
    );
    return input.ndim === nb ? y.squeeze(0) : y;
  }

  override extraRepr(): string {
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, ` +
      `track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}

/**
 * `torch.nn.InstanceNorm1d`: instance normalisation of `(N, C, L)` (or unbatched `(C, L)`).
 * Each (sample, channel) slice is normalised by its own mean and biased variance (or, in eval
 * mode with trackRunningStats, by the running statistics), then the optional affine. Output of
 * the input's shape. Throws for input of another rank, and for a channel count other than
 * numFeatures when affine or trackRunningStats (else PyTorch's warning).
 *
 * ```ts
 * const norm = new nn.InstanceNorm1d(64, { affine: true });
 * ```
 */
export class InstanceNorm1d extends InstanceNormBase {
  protected readonly noBatchDim = 2;

  constructor(numFeatures: number, ...rest: Rest) {
    super('InstanceNorm1d', numFeatures, rest);
  }
}

/**
 * `torch.nn.InstanceNorm2d`: instance normalisation of `(N, C, H, W)` (or unbatched
 * `(C, H, W)`), style transfer's norm; as {@link InstanceNorm1d} otherwise.
 *
 * ```ts
 * const norm = new nn.InstanceNorm2d(64);
 * ```
 */
export class InstanceNorm2d extends InstanceNormBase {
  protected readonly noBatchDim = 3;

  constructor(numFeatures: number, ...rest: Rest) {
    super('InstanceNorm2d', numFeatures, rest);
  }
}

/**
 * `torch.nn.InstanceNorm3d`: instance normalisation of `(N, C, D, H, W)` (or unbatched
 * `(C, D, H, W)`); as {@link InstanceNorm1d} otherwise.
 */
export class InstanceNorm3d extends InstanceNormBase {
  protected readonly noBatchDim = 4;

  constructor(numFeatures: number, ...rest: Rest) {
    super('InstanceNorm3d', numFeatures, rest);
  }
}
