// GroupNorm: normalisation over groups of channels, per sample (no running statistics).
import { noGrad } from '../../autograd/grad-mode.js';
import {
  bool,
  int,
  num,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import { full, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { groupNorm } from '../functional/group-norm.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat } from './conv-repr.js';

// PyTorch's nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None).
const GROUP_NORM = signature('GroupNorm', [
  req('numGroups', int),
  req('numChannels', int),
  opt('eps', num),
  opt('affine', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** Options of {@link GroupNorm}. */
export interface GroupNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros); default true. */
  affine?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.GroupNorm`: group normalisation of `(N, C, ∗)`: the C channels in `numGroups`
 * groups, each normalised per sample (biased variance); then a per-channel affine. Output of the
 * input's shape. The constructor throws unless numChannels is divisible by numGroups.
 *
 * ```ts
 * const gn = new nn.GroupNorm(4, 32); // 32 channels in 4 groups of 8
 * ```
 */
export class GroupNorm extends Module {
  /** The learnable per-channel scale `[numChannels]` (ones at first), or null without affine. */
  weight: Parameter | null;
  /** The learnable per-channel shift `[numChannels]` (zeros at first), or null without affine. */
  bias: Parameter | null;
  /** Number of groups the channels are split into. */
  readonly numGroups: number;
  /** Number of channels C of the input. */
  readonly numChannels: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether {@link weight} and {@link bias} are learned. */
  readonly affine: boolean;

  constructor(
    numGroups: number,
    numChannels: number,
    ...rest: PosOrOpts<
      [eps: number, affine: boolean, device: string, dtype: 'float32' | 'float64'],
      GroupNormLayerOptions
    >
  ) {
    super();
    const o = GROUP_NORM.parse<GroupNormLayerOptions & { numGroups: number; numChannels: number }>([
      numGroups,
      numChannels,
      ...rest,
    ]);
    if (o.numGroups < 1 || o.numChannels < 1 || o.numChannels % o.numGroups !== 0) {
      throw new Error(
        `GroupNorm: numChannels must be divisible by numGroups (both positive), got numGroups=${o.numGroups}, numChannels=${o.numChannels}`,
      );
    }
    this.numGroups = o.numGroups;
    this.numChannels = o.numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    const t = { dtype: o.dtype ?? 'float32', device: o.device } as const;
    this.weight = this.affine ? Parameter._adopt(full([this.numChannels], 1, t)) : null;
    this.bias = this.affine ? Parameter._adopt(zeros([this.numChannels], t)) : null;
  }

  /** Weight back to ones, bias to zeros. */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
