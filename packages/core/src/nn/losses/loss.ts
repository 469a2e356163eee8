import { type Check, oneOf, opt, optional, type ParamSpec, unsupported } from '../../signature/signature.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Reduction } from '../functional/losses.js';
import { Module } from '../module.js';

// The parameters PyTorch's loss classes share, for their declared signatures.
const DEPRECATED = 'deprecated in PyTorch; use reduction';
/** PyTorch's deprecated `size_average` (refused: `reduction` says the same). */
export const SIZE_AVERAGE: ParamSpec = unsupported('sizeAverage', DEPRECATED);
/** PyTorch's deprecated `reduce` (refused: `reduction` says the same). */
export const REDUCE: ParamSpec = unsupported('reduce', DEPRECATED);
/** `reduction: 'mean' | 'sum' | 'none'`. */
export const REDUCTION: ParamSpec = opt('reduction', oneOf('mean', 'sum', 'none'));
/** A Tensor. */
export const tensor: Check = (v) => (v instanceof Tensor ? null : 'a Tensor');
/** `weight: Optional[Tensor] = None`. */
export const WEIGHT: ParamSpec = opt('weight', optional(tensor));

/** Base of the loss modules: holds the reduction; `forward(input, target)`. */
export abstract class Loss extends Module {
  readonly reduction: Reduction;

  constructor(reduction: Reduction = 'mean') {
    super();
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
      throw new Error(`${new.target.name}: reduction must be 'mean', 'sum' or 'none', got '${reduction}'`);
    }
    this.reduction = reduction;
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}
