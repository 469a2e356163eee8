// RMSNorm (PyTorch 2.4's nn.RMSNorm; PyTorch 1.13 has none): root-mean-square normalisation
// over the trailing dims with an optional learnable elementwise scale.
import { noGrad } from '../../autograd/grad-mode.js';
import {
  bool,
  intOrTuple,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { rmsNorm } from '../functional/rms-norm.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyTuple } from './conv-repr.js';

// PyTorch 2.4's nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None).
const RMS_NORM = signature('RMSNorm', [
  req('normalizedShape', intOrTuple),
  opt('eps', optional(num)),
  opt('elementwiseAffine', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** Options of {@link RMSNorm}. */
export interface RMSNormLayerOptions {
  /** Added to the mean square; null (default): the machine epsilon of the input's compute dtype. */
  eps?: number | null;
  /** Learn an elementwise scale `weight` of `normalizedShape` (ones); default true. */
  elementwiseAffine?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.RMSNorm` (PyTorch 2.4): y = x / √(mean(x²) + eps) · weight over the trailing
 * `normalizedShape` dims. Input `(N, ∗)` ending in normalizedShape; output of the same shape.
 * The constructor throws unless normalizedShape holds positive integers.
 *
 * ```ts
 * const norm = new nn.RMSNorm(512); // x [..., 512]
 * ```
 */
export class RMSNorm extends Module {
  /** The learnable scale of shape normalizedShape (ones at first), or null without elementwiseAffine. */
  weight: Parameter | null;
  /** The trailing dims the mean square is taken over. */
  readonly normalizedShape: number[];
  /** Added to the mean square; null: the machine epsilon of the input's compute dtype. */
  readonly eps: number | null;
  /** Whether {@link weight} is learned. */
  readonly elementwiseAffine: boolean;

  constructor(
    normalizedShape: number | readonly number[],
    ...rest: PosOrOpts<
      [eps: number | null, elementwiseAffine: boolean, device: string, dtype: 'float32' | 'float64'],
      RMSNormLayerOptions
    >
  ) {
    super();
    const o = RMS_NORM.parse<RMSNormLayerOptions & { normalizedShape: number | readonly number[] }>([
      normalizedShape,
      ...rest,
    ]);
    const ns = typeof o.normalizedShape === 'number' ? [o.normalizedShape] : [...o.normalizedShape];
    if (ns.length === 0 || !ns.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(
        `RMSNorm: normalizedShape must be positive integers, got ${JSON.stringify(o.normalizedShape)}`,
      );
    }
    this.normalizedShape = ns;
    this.eps = o.eps ?? null;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine
      ? Parameter._adopt(full(ns, 1, { dtype: o.dtype ?? 'float32', device: o.device }))
      : null;
  }

  /** Weight back to ones. */
  resetParameters(): void {
    noGrad(() => this.weight?.fill_(1));
  }

  override forward(input: Tensor): Tensor {
    return rmsNorm(input, this.normalizedShape, this.weight, this.eps);
  }

  override extraRepr(): string {
    const eps = this.eps === null ? 'None' : pyFloat(this.eps);
    return `${pyTuple(this.normalizedShape)}, eps=${eps}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
