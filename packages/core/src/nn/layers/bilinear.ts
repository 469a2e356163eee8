// Bilinear: y = x1ᵀ·A·x2 + b with PyTorch's parameters and initialisation.
import { bool, int, oneOf, opt, type PosOrOpts, req, signature, str } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { bilinear } from '../functional/bilinear.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool } from './conv-repr.js';
import { empty } from './empty.js';

// PyTorch's nn.Bilinear(in1_features, in2_features, out_features, bias=True, device=None, dtype=None).
const BILINEAR = signature('Bilinear', [
  req('in1Features', int),
  req('in2Features', int),
  req('outFeatures', int),
  opt('bias', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** Options of {@link Bilinear}. */
export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.Bilinear`: y = x1ᵀ·A·x2 + b for x1 [*, in1], x2 [*, in2] → [*, out]; `weight` is
 * [out, in1, in2], and weight and bias start from U(±1/√in1), as PyTorch's.
 *
 * ```ts
 * const bl = new nn.Bilinear(20, 30, 40);
 * bl.forward(a, b); // [128, 20], [128, 30] -> [128, 40]
 * ```
 */
export class Bilinear extends Module {
  /** The learnable weights `[outFeatures, in1Features, in2Features]`. */
  weight: Parameter;
  /** The learnable bias `[outFeatures]`, or null when built with `bias: false`. */
  bias: Parameter | null;
  /** Size of each first input sample (the last dim of x1). */
  readonly in1Features: number;
  /** Size of each second input sample (the last dim of x2). */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  constructor(
    in1Features: number,
    in2Features: number,
    outFeatures: number,
    ...rest: PosOrOpts<[bias: boolean, device: string, dtype: 'float32' | 'float64'], BilinearOptions>
  ) {
    super();
    const o = BILINEAR.parse<
      BilinearOptions & { in1Features: number; in2Features: number; outFeatures: number }
    >([in1Features, in2Features, outFeatures, ...rest]);
    for (const k of ['in1Features', 'in2Features', 'outFeatures'] as const) {
      if (o[k] < 0) throw new Error(`Bilinear: ${k} must be a non-negative integer, got ${o[k]}`);
    }
    this.in1Features = o.in1Features;
    this.in2Features = o.in2Features;
    this.outFeatures = o.outFeatures;
    this.weight = Parameter._adopt(empty([o.outFeatures, o.in1Features, o.in2Features], o));
    this.bias = o.bias === false ? null : Parameter._adopt(empty([o.outFeatures], o));
    this.resetParameters();
  }

  /** Re-draws weight and bias from U(±1/√in1Features), as PyTorch. */
  resetParameters(): void {
    const bound = this.in1Features > 0 ? 1 / Math.sqrt(this.in1Features) : 0;
    this.weight.uniform_(-bound, bound);
    this.bias?.uniform_(-bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
