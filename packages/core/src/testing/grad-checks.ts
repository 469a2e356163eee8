import { type GradcheckOptions, gradcheck } from '../autograd/gradcheck.js';
import { gradgradcheck } from '../autograd/gradgradcheck.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * gradcheck and gradgradcheck of `fn` at `inputs`: the first and second derivatives of every
 * op `fn` uses, as the contract asks of each differentiable op. True, or throws naming the
 * mismatch.
 */
export function gradchecks(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  return gradcheck(fn, inputs, opts) && gradgradcheck(fn, inputs, opts);
}
