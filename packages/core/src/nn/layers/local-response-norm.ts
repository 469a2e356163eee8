// LocalResponseNorm: normalisation across neighbouring channels (AlexNet); no parameters.
import { int, num, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type LocalResponseNormOptions, localResponseNorm } from '../functional/local-response-norm.js';
import { Module } from '../module.js';
import { pyFloat } from './conv-repr.js';

// PyTorch's nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0).
const LOCAL_RESPONSE_NORM = signature('LocalResponseNorm', [
  req('size', int),
  opt('alpha', num),
  opt('beta', num),
  opt('k', num),
]);

/**
 * `torch.nn.LocalResponseNorm`: x / (k + α/n · Σ x²)^β over windows of `size` neighbouring
 * channels (n = size), for `(N, C, ∗)` input; output of the same shape. Arguments `(size,
 * alpha = 1e-4, beta = 0.75, k = 1)` as PyTorch's.
 *
 * ```ts
 * const lrn = new nn.LocalResponseNorm(5, 1e-4, 0.75, 2);
 * ```
 */
export class LocalResponseNorm extends Module {
  /** Number of neighbouring channels summed over. */
  readonly size: number;
  /** Multiplicative factor α. */
  readonly alpha: number;
  /** Exponent β. */
  readonly beta: number;
  /** Additive constant k. */
  readonly k: number;

  constructor(
    size: number,
    ...rest: PosOrOpts<[alpha: number, beta: number, k: number], Omit<LocalResponseNormOptions, 'size'>>
  ) {
    super();
    const o = LOCAL_RESPONSE_NORM.parse<LocalResponseNormOptions & { size: number }>([size, ...rest]);
    this.size = o.size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
