// PoissonNLLLoss and GaussianNLLLoss (PyTorch 1.13's constructor signatures).
import { bool, kw, num, oneOf, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Reduction } from '../functional/losses.js';
import * as F from '../functional/losses-likelihood.js';
import { Module } from '../module.js';
import { Loss, REDUCE, REDUCTION, SIZE_AVERAGE } from './loss.js';
import { checkReduction } from './reduction.js';

const POISSON_NLL_LOSS = signature('PoissonNLLLoss', [
  opt('logInput', bool),
  opt('full', bool),
  SIZE_AVERAGE,
  opt('eps', num),
  REDUCE,
  REDUCTION,
]);
// PyTorch's GaussianNLLLoss takes its parameters by keyword only (`*, full, eps, reduction`).
const GAUSSIAN_NLL_LOSS = signature('GaussianNLLLoss', [
  kw('full', bool),
  kw('eps', num),
  kw('reduction', oneOf('mean', 'sum', 'none')),
]);

/**
 * `torch.nn.PoissonNLLLoss`: Poisson negative log-likelihood of counts `target` under rate
 * exp(input) (or `input` itself with `logInput: false`). `(logInput, full, sizeAverage, eps,
 * reduce, reduction)` as PyTorch's. Input and target `(∗)` of one shape; output a scalar, or
 * `(∗)` with reduction `'none'`.
 */
export class PoissonNLLLoss extends Loss {
  /** The input is the log of the rate (true) or the rate itself (false). */
  readonly logInput: boolean;
  /** Add the Stirling approximation term of log(target!). */
  readonly full: boolean;
  /** Added to the rate before its log when logInput is false. */
  readonly eps: number;

  constructor(
    ...args: PosOrOpts<
      [
        logInput: boolean,
        full: boolean,
        sizeAverage: undefined,
        eps: number,
        reduce: undefined,
        reduction: Reduction,
      ],
      F.PoissonNLLOptions
    >
  ) {
    const o = POISSON_NLL_LOSS.parse<F.PoissonNLLOptions>(args);
    super(o.reduction);
    this.logInput = o.logInput ?? true;
    this.full = o.full ?? false;
    this.eps = o.eps ?? 1e-8;
  }

  override forward(logInput: Tensor, target: Tensor): Tensor {
    return F.poissonNllLoss(logInput, target, {
      logInput: this.logInput,
      full: this.full,
      eps: this.eps,
      reduction: this.reduction,
    });
  }
}

/**
 * `torch.nn.GaussianNLLLoss`: Gaussian negative log-likelihood of `target` under N(input, var).
 * Input and target `(N, ∗)`; var of their shape, or of it with one dim of size 1, or with the
 * last dim dropped (as PyTorch's broadcasting rules); output a scalar, or `(N, ∗)` with
 * reduction `'none'`.
 * `{ full, eps, reduction }` by name only, as PyTorch's keyword-only parameters;
 * `forward(input, target, var)`.
 *
 * ```ts
 * const loss = new nn.GaussianNLLLoss({ full: true }).forward(mean, y, variance);
 * ```
 */
export class GaussianNLLLoss extends Module {
  /** Add the constant ½·log(2π) term. */
  readonly full: boolean;
  /** Lower clamp of the variance, for stability. */
  readonly eps: number;
  /** `'mean'` averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
  readonly reduction: Reduction;

  constructor(...args: [] | [F.GaussianNLLOptions]) {
    super();
    const o = GAUSSIAN_NLL_LOSS.parse<F.GaussianNLLOptions>(args);
    this.full = o.full ?? false;
    this.eps = o.eps ?? 1e-6;
    this.reduction = checkReduction('GaussianNLLLoss', o.reduction);
  }

  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return F.gaussianNllLoss(input, target, variance, {
      full: this.full,
      eps: this.eps,
      reduction: this.reduction,
    });
  }
}
