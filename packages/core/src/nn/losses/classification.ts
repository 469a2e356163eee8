import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Module } from '../module.js';
import { Loss } from './loss.js';

/**
 * logSoftmax + negative log-likelihood on raw scores `[N, C]` (or `[N, C, d...]`, `[C]`);
 * targets are int32 class indices or float class probabilities.
 *
 * ```ts
 * const loss = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels);
 * ```
 */
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(opts: F.CrossEntropyOptions = {}) {
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

/** Negative log-likelihood of log-probabilities at int32 class indices. */
export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;

  constructor(opts: F.NLLOptions = {}) {
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

/** KL divergence of log-probability inputs from a target distribution (`reduction: 'batchmean'` recommended). */
export class KLDivLoss extends Module {
  readonly reduction: F.Reduction | 'batchmean';
  readonly logTarget: boolean;

  constructor(opts: F.KLDivOptions = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
