import type { PosOrOpts } from '../../signature/signature.js';
import { type LrLambda, lambdaSchedulerSignature, lambdasPerGroup } from './lambda-lr.js';
import {
  type AnyOptimizer,
  LRScheduler,
  restore,
  type SchedulerOptions,
  type SchedulerStateDict,
  snapshot,
} from './lr-scheduler.js';

/** torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
const MULTIPLICATIVE_LR = lambdaSchedulerSignature('lrScheduler.MultiplicativeLR');

/**
 * Multiplies each group's learning rate by `lrLambda(epoch)` at every epoch after the first
 * (one function, or one per param group): `lr_e = lr_(e-1) · lrLambda(e)` (PyTorch's
 * `MultiplicativeLR`).
 *
 * @throws Error when an array of functions has not one per param group.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.MultiplicativeLR(opt, () => 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** One function per param group: epoch to the factor applied at that epoch. */
  lrLambdas: LrLambda[];

  constructor(
    optimizer: AnyOptimizer,
    lrLambda: LrLambda | readonly LrLambda[],
    ...rest: PosOrOpts<[lastEpoch: number, verbose: false], SchedulerOptions>
  ) {
    const options = MULTIPLICATIVE_LR.parse<SchedulerOptions & { lrLambda: LrLambda | readonly LrLambda[] }>([
      optimizer,
      lrLambda,
      ...rest,
    ]);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasPerGroup('MultiplicativeLR', optimizer, options.lrLambda);
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
    return groups.map((g) => g.lr);
  }

  /** The state without the functions (they cannot be saved; the new scheduler brings its own). */
  override stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer', 'lrLambdas']);
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer', 'lrLambdas']);
  }
}
