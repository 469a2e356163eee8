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
 * logSoftmax + negative log-likelihood on raw scores `[N, C]` (or `[N, C, d...]`, `[C]`);
 * targets are int64 (or int32) class indices or float class probabilities. PyTorch's order:
 * `(weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing)`.
 *
 * ```ts
 * const loss = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels);
 * ```
 */
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
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
 * Negative log-likelihood of log-probabilities at int64 (or int32) class indices.
 * `(weight, sizeAverage, ignoreIndex, reduce, reduction)` as PyTorch's.
 */
export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
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
 * KL divergence of log-probability inputs from a target distribution (`reduction: 'batchmean'`
 * recommended). `(sizeAverage, reduce, reduction, logTarget)` as PyTorch's.
 */
export class KLDivLoss extends Module {
  readonly reduction: F.Reduction | 'batchmean';
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
