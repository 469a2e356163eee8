import { bool, int, oneOf, opt, type PosOrOpts, req, signature, str } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from '../functional/layers.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { resetWeightAndBias } from './default-init.js';
import { empty } from './empty.js';

/** PyTorch's nn.Linear(in_features, out_features, bias=True, device=None, dtype=None). */
const LINEAR = signature('Linear', [
  req('inFeatures', int),
  req('outFeatures', int),
  opt('bias', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.Linear`: y = x·Wᵀ + b. `weight` is `[outFeatures, inFeatures]` (PyTorch's layout),
 * initialised with kaiming_uniform(a=√5) and the bias from U(±1/√inFeatures), as PyTorch does.
 * Input `(*, inFeatures)`, output `(*, outFeatures)`. Throws for a negative or fractional size.
 *
 * ```ts
 * const fc = new nn.Linear(784, 128);
 * fc.forward(x); // [batch, 784] -> [batch, 128]
 * ```
 */
export class Linear extends Module {
  /** The learnable weights `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** The learnable bias `[outFeatures]`, or null when built with `bias: false`. */
  bias: Parameter | null;

  /** Size of each input sample (the last dim). */
  readonly inFeatures: number;
  /** Size of each output sample (the last dim). */
  readonly outFeatures: number;

  constructor(
    inFeatures: number,
    outFeatures: number,
    ...rest: PosOrOpts<[bias: boolean, device: string, dtype: 'float32' | 'float64'], LinearOptions>
  ) {
    super();
    const opts = LINEAR.parse<LinearOptions & { inFeatures: number; outFeatures: number }>([
      inFeatures,
      outFeatures,
      ...rest,
    ]);
    inFeatures = opts.inFeatures;
    outFeatures = opts.outFeatures;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    for (const [n, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`Linear: ${n} must be a non-negative integer, got ${v}`);
    }
    this.weight = Parameter._adopt(empty([outFeatures, inFeatures], opts));
    this.bias = opts.bias === false ? null : Parameter._adopt(empty([outFeatures], opts));
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default initialisation. */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
