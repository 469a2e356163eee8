import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/losses.js';
import { Loss } from './loss.js';

/** Mean squared error. `new nn.MSELoss({ reduction: 'sum' })`. */
export class MSELoss extends Loss {
  constructor(opts: F.LossOptions = {}) {
    super(opts.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. */
export class L1Loss extends Loss {
  constructor(opts: F.LossOptions = {}) {
    super(opts.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss: quadratic below `delta`, linear above. */
export class HuberLoss extends Loss {
  readonly delta: number;

  constructor(opts: F.HuberOptions = {}) {
    super(opts.reduction);
    this.delta = opts.delta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Smooth L1 loss: quadratic below `beta` (scaled by 1/beta), linear above. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;

  constructor(opts: F.SmoothL1Options = {}) {
    super(opts.reduction);
    this.beta = opts.beta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
