import { num, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Loss, REDUCE, REDUCTION, SIZE_AVERAGE } from './loss.js';

// PyTorch's signatures (inspect.signature of torch.nn.MSELoss, L1Loss, HuberLoss, SmoothL1Loss).
const MSE_LOSS = signature('MSELoss', [SIZE_AVERAGE, REDUCE, REDUCTION]);
const L1_LOSS = signature('L1Loss', [SIZE_AVERAGE, REDUCE, REDUCTION]);
const HUBER_LOSS = signature('HuberLoss', [REDUCTION, opt('delta', num)]);
const SMOOTH_L1_LOSS = signature('SmoothL1Loss', [SIZE_AVERAGE, REDUCE, REDUCTION, opt('beta', num)]);

/**
 * `torch.nn.MSELoss`: mean squared error. `new nn.MSELoss({ reduction: 'sum' })` (PyTorch's
 * order: `(sizeAverage, reduce, reduction)`; the deprecated two are refused). Input and target
 * `(∗)` of one shape; output a scalar, or `(∗)` with reduction `'none'`.
 */
export class MSELoss extends Loss {
  constructor(
    ...args: PosOrOpts<[sizeAverage: undefined, reduce: undefined, reduction: F.Reduction], F.LossOptions>
  ) {
    super(MSE_LOSS.parse<F.LossOptions>(args).reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * `torch.nn.L1Loss`: mean absolute error. `(sizeAverage, reduce, reduction)` as PyTorch's. Input
 * and target `(∗)` of one shape; output a scalar, or `(∗)` with reduction `'none'`.
 */
export class L1Loss extends Loss {
  constructor(
    ...args: PosOrOpts<[sizeAverage: undefined, reduce: undefined, reduction: F.Reduction], F.LossOptions>
  ) {
    super(L1_LOSS.parse<F.LossOptions>(args).reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * `torch.nn.HuberLoss`: quadratic below `delta`, linear above. `(reduction, delta)` as PyTorch's.
 * Shapes as {@link MSELoss}'s; forward throws unless delta is positive.
 */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;

  constructor(...args: PosOrOpts<[reduction: F.Reduction, delta: number], F.HuberOptions>) {
    const opts = HUBER_LOSS.parse<F.HuberOptions>(args);
    super(opts.reduction);
    this.delta = opts.delta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * `torch.nn.SmoothL1Loss`: quadratic below `beta` (scaled by 1/beta), linear above.
 * `(sizeAverage, reduce, reduction, beta)` as PyTorch's. Shapes as {@link MSELoss}'s.
 */
export class SmoothL1Loss extends Loss {
  /** Width of the quadratic zone (0 gives the L1 loss). */
  readonly beta: number;

  constructor(
    ...args: PosOrOpts<
      [sizeAverage: undefined, reduce: undefined, reduction: F.Reduction, beta: number],
      F.SmoothL1Options
    >
  ) {
    const opts = SMOOTH_L1_LOSS.parse<F.SmoothL1Options>(args);
    super(opts.reduction);
    this.beta = opts.beta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
