import { opt, optional, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Loss, REDUCE, REDUCTION, SIZE_AVERAGE, tensor, WEIGHT } from './loss.js';

// PyTorch's signatures (inspect.signature of torch.nn.BCELoss, BCEWithLogitsLoss).
const BCE_LOSS = signature('BCELoss', [WEIGHT, SIZE_AVERAGE, REDUCE, REDUCTION]);
const BCE_WITH_LOGITS_LOSS = signature('BCEWithLogitsLoss', [
  WEIGHT,
  SIZE_AVERAGE,
  REDUCE,
  REDUCTION,
  opt('posWeight', optional(tensor)),
]);

/**
 * `torch.nn.BCELoss`: binary cross-entropy on probabilities (inputs after a sigmoid), the logs
 * clamped at −100 as PyTorch's. `(weight, sizeAverage, reduce, reduction)` as PyTorch's. Input
 * and target `(∗)` of one shape; output a scalar, or `(∗)` with reduction `'none'`.
 */
export class BCELoss extends Loss {
  /** Rescales each element's loss (broadcast to the input), or null. */
  readonly weight: Tensor | null;

  constructor(
    ...args: PosOrOpts<
      [weight: Tensor | null, sizeAverage: undefined, reduce: undefined, reduction: F.Reduction],
      F.BCEOptions
    >
  ) {
    const opts = BCE_LOSS.parse<F.BCEOptions>(args);
    super(opts.reduction);
    this.weight = opts.weight ?? null;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * `torch.nn.BCEWithLogitsLoss`: sigmoid + binary cross-entropy, numerically stable for any
 * logit; `posWeight` weighs positives. `(weight, sizeAverage, reduce, reduction, posWeight)` as
 * PyTorch's. Input and target `(∗)` of one shape; output a scalar, or `(∗)` with reduction `'none'`.
 *
 * ```ts
 * const lossFn = new nn.BCEWithLogitsLoss();
 * const loss = lossFn.forward(logits, targets); // [N, 1] logits, [N, 1] targets in [0, 1]
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  /** Rescales each element's loss (broadcast to the input), or null. */
  readonly weight: Tensor | null;
  /** Weight of the positive examples, broadcast along the last (class) dim, or null. */
  readonly posWeight: Tensor | null;

  constructor(
    ...args: PosOrOpts<
      [
        weight: Tensor | null,
        sizeAverage: undefined,
        reduce: undefined,
        reduction: F.Reduction,
        posWeight: Tensor | null,
      ],
      F.BCEWithLogitsOptions
    >
  ) {
    const opts = BCE_WITH_LOGITS_LOSS.parse<F.BCEWithLogitsOptions>(args);
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
