import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1, verbose=False). */
const LINEAR_LR = signature('lrScheduler.LinearLR', [
  req('optimizer', any),
  opt('startFactor', num),
  opt('endFactor', num),
  opt('totalIters', int),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link LinearLR}. */
export interface LinearLROptions extends SchedulerOptions {
  /** The factor applied at epoch 0 (default 1/3). */
  startFactor?: number;
  /** The factor reached at epoch `totalIters` and kept afterwards (default 1). */
  endFactor?: number;
  /** The number of epochs of the linear change (default 5). */
  totalIters?: number;
}

/**
 * Changes each group's learning rate linearly from `startFactor × lr` to `endFactor × lr` over
 * `totalIters` epochs: the usual warm-up (often followed by another schedule in SequentialLR;
 * PyTorch's `LinearLR`).
 *
 * @throws Error when `startFactor` is outside (0, 1] or `endFactor` outside [0, 1].
 *
 * @example
 * ```ts
 * const warmup = new optim.lrScheduler.LinearLR(opt, 0.1, 1, 5); // or (opt, { startFactor: 0.1, totalIters: 5 })
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0 (default 1/3). */
  startFactor: number;
  /** The factor from epoch `totalIters` on (default 1). */
  endFactor: number;
  /** The epochs of the linear change (default 5). */
  totalIters: number;

  constructor(
    optimizer: AnyOptimizer,
    ...rest: PosOrOpts<
      [startFactor: number, endFactor: number, totalIters: number, lastEpoch: number, verbose: false],
      LinearLROptions
    >
  ) {
    const options = LINEAR_LR.parse<LinearLROptions>([optimizer, ...rest]);
    super(optimizer, options.lastEpoch);
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (startFactor > 1 || startFactor <= 0) {
      throw new Error(
        `LinearLR: startFactor expected to be greater than 0 and at most 1 (got ${startFactor})`,
      );
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new Error(`LinearLR: endFactor expected to be between 0 and 1 (got ${endFactor})`);
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch } = this;
    if (lastEpoch === 0) return groups.map((g) => g.lr * s);
    if (lastEpoch > n) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (n * s + (lastEpoch - 1) * (e - s))));
  }

  protected override getClosedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n));
  }
}
