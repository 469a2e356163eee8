// CTCLoss (PyTorch 1.13's nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)).
import { bool, int, oneOf, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/ctc-loss.js';
import type { Reduction } from '../functional/losses.js';
import { Module } from '../module.js';
import { checkReduction } from './reduction.js';

const CTC_LOSS = signature('CTCLoss', [
  opt('blank', int),
  opt('reduction', oneOf('mean', 'sum', 'none')),
  opt('zeroInfinity', bool),
]);

/**
 * `torch.nn.CTCLoss`: connectionist temporal classification loss (see {@link F.ctcLoss}).
 * logProbs `(T, N, C)` (or `(T, C)`), targets `(N, S)` or concatenated `(sum(targetLengths))`;
 * output a scalar, or `(N)` with reduction `'none'`.
 * `(blank, reduction, zeroInfinity)` as PyTorch's;
 * `forward(logProbs, targets, inputLengths, targetLengths)`.
 *
 * ```ts
 * const ctc = new nn.CTCLoss({ zeroInfinity: true });
 * const loss = ctc.forward(logits.logSoftmax(2), targets, inputLengths, targetLengths);
 * ```
 */
export class CTCLoss extends Module {
  /** The blank label's index. */
  readonly blank: number;
  /** `'mean'` (losses divided by the target lengths, then averaged), `'sum'` or `'none'`. */
  readonly reduction: Reduction;
  /** Zero infinite losses (and their gradients), which impossible alignments give. */
  readonly zeroInfinity: boolean;

  constructor(
    ...args: PosOrOpts<[blank: number, reduction: Reduction, zeroInfinity: boolean], F.CTCOptions>
  ) {
    super();
    const o = CTC_LOSS.parse<F.CTCOptions>(args);
    this.blank = o.blank ?? 0;
    this.reduction = checkReduction('CTCLoss', o.reduction);
    this.zeroInfinity = o.zeroInfinity ?? false;
  }

  override forward(
    logProbs: Tensor,
    targets: Tensor,
    inputLengths: F.Lengths,
    targetLengths: F.Lengths,
  ): Tensor {
    return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, {
      blank: this.blank,
      reduction: this.reduction,
      zeroInfinity: this.zeroInfinity,
    });
  }
}
