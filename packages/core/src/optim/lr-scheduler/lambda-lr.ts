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

/** torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
const LAMBDA_LR = signature('lrScheduler.LambdaLR', [
  req('optimizer', any),
  req('lrLambda', fnOrFns),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** A function of the epoch giving the factor applied to a group's initial learning rate. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's learning rate to its initial rate times `lrLambda(epoch)` (one function,
 * or one per param group).
 *
 * ```ts
 * const sched = new optim.lrScheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * ```
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(
    optimizer: AnyOptimizer,
    lrLambda: LrLambda | readonly LrLambda[],
    ...rest: PosOrOpts<[lastEpoch: number, verbose: false], SchedulerOptions>
  ) {
    const options = LAMBDA_LR.parse<SchedulerOptions & { lrLambda: LrLambda | readonly LrLambda[] }>([
      optimizer,
      lrLambda,
      ...rest,
    ]);
    lrLambda = options.lrLambda;
    super(optimizer, options.lastEpoch);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda)) {
      if (lrLambda.length !== n)
        throw new Error(`LambdaLR: expected ${n} lrLambdas, but got ${lrLambda.length}`);
      this.lrLambdas = [...lrLambda];
    } else {
      this.lrLambdas = new Array(n).fill(lrLambda);
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }

  /** The state without the functions (they cannot be saved; the new scheduler brings its own). */
  override stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer', 'lrLambdas']);
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer', 'lrLambdas']);
  }
}
