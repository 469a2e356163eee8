import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Loss } from './loss.js';

/** Binary cross-entropy on probabilities (inputs after a sigmoid). */
export class BCELoss extends Loss {
  readonly weight: Tensor | null;

  constructor(opts: F.BCEOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight ?? null;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/** Sigmoid + binary cross-entropy, numerically stable for any logit; `posWeight` weighs positives. */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;

  constructor(opts: F.BCEWithLogitsOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight ?? null;
    this.posWeight = opts.posWeight ?? null;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      posWeight: this.posWeight,
    });
  }
}
