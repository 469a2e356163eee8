import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1, verbose=False). */
const CONSTANT_LR = signature('lrScheduler.ConstantLR', [
  req('optimizer', any),
  opt('factor', num),
  opt('totalIters', int),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions extends SchedulerOptions {
  /** The factor applied until epoch `totalIters` (default 1/3). */
  factor?: number;
  /** The number of epochs at the reduced rate (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's learning rate by `factor` for the first `totalIters` epochs, then
 * restores it (PyTorch's `ConstantLR`, in its chainable form: other changes to the rate in
 * between are kept).
 *
 * @throws Error when `factor` is outside [0, 1].
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.ConstantLR(opt, 0.5, 4); // lr/2 for epochs 0-3, then lr
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied until epoch `totalIters` (default 1/3). */
  factor: number;
  /** The epoch at which the full rate comes back (default 5). */
  totalIters: number;

  constructor(
    optimizer: AnyOptimizer,
    ...rest: PosOrOpts<
      [factor: number, totalIters: number, lastEpoch: number, verbose: false],
      ConstantLROptions
    >
  ) {
    const options = CONSTANT_LR.parse<ConstantLROptions>([optimizer, ...rest]);
    const factor = options.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) {
      throw new Error(
        `ConstantLR: constant multiplicative factor expected to be between 0 and 1 (got ${factor})`,
      );
    }
    super(optimizer, options.lastEpoch);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 / this.factor));
  }

  protected override getClosedFormLr(): number[] {
    const after = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + after * (1 - this.factor)));
  }
}
