import { bool, int, num, oneOf, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Module } from '../module.js';
import { Loss, REDUCE, REDUCTION, SIZE_AVERAGE, WEIGHT } from './loss.js';

// PyTorch's signatures (inspect.signature of torch.nn.CrossEntropyLoss, NLLLoss, KLDivLoss).
const CROSS_ENTROPY_LOSS = signature('CrossEntropyLoss', [
  WEIGHT,
  SIZE_AVERAGE,
  opt('ignoreIndex', int),
  REDUCE,
  REDUCTION,
  opt('labelSmoothing', num),
]);
const NLL_LOSS = signature('NLLLoss', [WEIGHT, SIZE_AVERAGE, opt('ignoreIndex', int), REDUCE, REDUCTION]);
const KL_DIV_LOSS = signature('KLDivLoss', [
  SIZE_AVERAGE,
  REDUCE,
  opt('reduction', oneOf('mean', 'sum', 'none', 'batchmean')),
  opt('logTarget', bool),
]);

/**
 * `torch.nn.CrossEntropyLoss`: logSoftmax + negative log-likelihood on raw scores `(N, C)` (or
 * `(N, C, d1, …)`, `(C)`); targets are int64 (or int32) class indices `(N)` (or `(N, d1, …)`,
 * `()`) or float class probabilities of the input's shape. Output a scalar, or `(N)` (`(N, d1,
 * …)`) with reduction `'none'`. PyTorch's order:
 * `(weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing)`. Forward throws for
 * mismatched shapes or a class index out of range.
 *
 * ```ts
 * const loss = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels);
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Per-class weights `[C]`, or null. */
  readonly weight: Tensor | null;
  /** Target value that contributes nothing (class-index targets only). */
  readonly ignoreIndex: number;
  /** ε of the mix (1−ε)·target + ε/C. */
  readonly labelSmoothing: number;

  constructor(
    ...args: PosOrOpts<
      [
        weight: Tensor | null,
        sizeAverage: undefined,
        ignoreIndex: number,
        reduce: undefined,
        reduction: F.Reduction,
        labelSmoothing: number,
      ],
      F.CrossEntropyOptions
    >
  ) {
    const opts = CROSS_ENTROPY_LOSS.parse<F.CrossEntropyOptions>(args);
    super(opts.reduction);
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/**
 * `torch.nn.NLLLoss`: negative log-likelihood of log-probabilities `(N, C)` (or `(N, C, d1, …)`,
 * `(C)`) at int64 (or int32) class indices `(N)` (or `(N, d1, …)`, `()`); output a scalar, or
 * the target's shape with reduction `'none'`. `(weight, sizeAverage, ignoreIndex, reduce,
 * reduction)` as PyTorch's.
 */
export class NLLLoss extends Loss {
  /** Per-class weights `[C]`, or null. */
  readonly weight: Tensor | null;
  /** Target value that contributes nothing. */
  readonly ignoreIndex: number;

  constructor(
    ...args: PosOrOpts<
      [
        weight: Tensor | null,
        sizeAverage: undefined,
        ignoreIndex: number,
        reduce: undefined,
        reduction: F.Reduction,
      ],
      F.NLLOptions
    >
  ) {
    const opts = NLL_LOSS.parse<F.NLLOptions>(args);
    super(opts.reduction);
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
    });
  }
}

/**
 * `torch.nn.KLDivLoss`: KL divergence of log-probability inputs from a target distribution
 * (`reduction: 'batchmean'` recommended). `(sizeAverage, reduce, reduction, logTarget)` as
 * PyTorch's. Input and target `(∗)` of one shape; output a scalar, or `(∗)` with `'none'`.
 */
export class KLDivLoss extends Module {
  /**
   * `'batchmean'` divides the sum by the batch size, `'mean'` by the element count; `'sum'`, `'none'` as
   * usual.
   */
  readonly reduction: F.Reduction | 'batchmean';
  /** The target is given as log-probabilities. */
  readonly logTarget: boolean;

  constructor(
    ...args: PosOrOpts<
      [sizeAverage: undefined, reduce: undefined, reduction: F.Reduction | 'batchmean', logTarget: boolean],
      F.KLDivOptions
    >
  ) {
    const opts = KL_DIV_LOSS.parse<F.KLDivOptions>(args);
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
