import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma, last_epoch=-1, verbose=False). */
const EXPONENTIAL_LR = signature('lrScheduler.ExponentialLR', [
  req('optimizer', any),
  req('gamma', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/**
 * Multiplies each group's learning rate by `gamma` every epoch (PyTorch's `ExponentialLR`).
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.ExponentialLR(opt, 0.95);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** The factor applied each epoch. */
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    gamma: number,
    ...rest: PosOrOpts<[lastEpoch: number, verbose: false], SchedulerOptions>
  ) {
    const options = EXPONENTIAL_LR.parse<SchedulerOptions & { gamma: number }>([optimizer, gamma, ...rest]);
    gamma = options.gamma;
    super(optimizer, options.lastEpoch);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}
