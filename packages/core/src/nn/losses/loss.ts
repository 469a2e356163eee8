import type { Tensor } from '../../tensor/tensor.js';
import type { Reduction } from '../functional/losses.js';
import { Module } from '../module.js';

// The parameters PyTorch's loss classes share with the functional losses, for their declared
// signatures (declared once, beside torch.nn.functional's).
export { tensor } from '../../signature/signature.js';
export { REDUCE, REDUCTION, SIZE_AVERAGE, WEIGHT } from '../functional/losses.js';

/**
 * Base of the loss modules (PyTorch's `_Loss`): holds the reduction; `forward(input, target)`.
 * The constructor throws for a reduction other than `'mean'`, `'sum'` or `'none'`.
 */
export abstract class Loss extends Module {
  /** `'mean'` averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
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
