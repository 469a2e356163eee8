import {
  any,
  type Check,
  fn,
  int,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import type { LrLambda } from './lambda-lr.js';
import {
  type AnyOptimizer,
  LRScheduler,
  restore,
  type SchedulerOptions,
  type SchedulerStateDict,
  snapshot,
} from './lr-scheduler.js';

/** A function, or an array of functions. */
const fnOrFns: Check = (v) =>
  fn(v) === null || (Array.isArray(v) && v.every((f) => typeof f === 'function'))
    ? null
    : 'a function or an array of functions';

/** torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
const MULTIPLICATIVE_LR = signature('lrScheduler.MultiplicativeLR', [
  req('optimizer', any),
  req('lrLambda', fnOrFns),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/**
 * Multiplies each group's learning rate by `lrLambda(epoch)` at every epoch after the first
 * (one function, or one per param group): `lr_e = lr_(e-1) · lrLambda(e)`.
 *
 * ```ts
 * const sched = new optim.lrScheduler.MultiplicativeLR(opt, () => 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
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
    lrLambda = options.lrLambda;
    super(optimizer, options.lastEpoch);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda)) {
      if (lrLambda.length !== n)
        throw new Error(`MultiplicativeLR: expected ${n} lrLambdas, but got ${lrLambda.length}`);
      this.lrLambdas = [...lrLambda];
    } else {
      this.lrLambdas = new Array(n).fill(lrLambda);
    }
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
