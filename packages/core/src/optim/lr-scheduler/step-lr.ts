import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False). */
const STEP_LR = signature('lrScheduler.StepLR', [
  req('optimizer', any),
  req('stepSize', int),
  opt('gamma', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link StepLR}. */
export interface StepLROptions extends SchedulerOptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`).
 *
 * @throws Error when `stepSize` is not a positive integer.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 }); // 0.05 for epochs 0-29, 0.005 for 30-59, …
 * ```
 */
export class StepLR extends LRScheduler {
  /** Epochs between two decays (PyTorch's `step_size`). */
  stepSize: number;
  /** The factor applied at each decay (default 0.1). */
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    stepSize: number,
    ...rest: PosOrOpts<[gamma: number, lastEpoch: number, verbose: false], StepLROptions>
  ) {
    const options = STEP_LR.parse<StepLROptions & { stepSize: number }>([optimizer, stepSize, ...rest]);
    stepSize = options.stepSize;
    super(optimizer, options.lastEpoch);
    if (!Number.isInteger(stepSize) || stepSize <= 0) {
      throw new Error(`StepLR: stepSize must be a positive integer (got ${stepSize})`);
    }
    this.stepSize = stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
