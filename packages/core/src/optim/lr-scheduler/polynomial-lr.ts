import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1, verbose=False). */
const POLYNOMIAL_LR = signature('lrScheduler.PolynomialLR', [
  req('optimizer', any),
  opt('totalIters', int),
  opt('power', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions extends SchedulerOptions {
  /** The number of epochs over which the rate decays to 0 (default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1). */
  power?: number;
}

/**
 * Decays each group's learning rate as `lr · (1 − epoch / totalIters)^power`, reaching 0 at
 * `totalIters` (PyTorch's `PolynomialLR`, in its chainable form: one factor per epoch).
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.PolynomialLR(opt, 100, 2);
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** The epochs over which the rate decays to 0 (default 5). */
  totalIters: number;
  /** The power of the polynomial (default 1). */
  power: number;

  constructor(
    optimizer: AnyOptimizer,
    ...rest: PosOrOpts<
      [totalIters: number, power: number, lastEpoch: number, verbose: false],
      PolynomialLROptions
    >
  ) {
    const options = POLYNOMIAL_LR.parse<PolynomialLROptions>([optimizer, ...rest]);
    super(optimizer, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { lastEpoch: e, totalIters: n } = this;
    if (e === 0 || e > n) return groups.map((g) => g.lr);
    const decayFactor = ((1 - e / n) / (1 - (e - 1) / n)) ** this.power;
    return groups.map((g) => g.lr * decayFactor);
  }

  protected override getClosedFormLr(): number[] {
    const { lastEpoch: e, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (1 - Math.min(n, e) / n) ** this.power);
  }
}
