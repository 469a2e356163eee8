import {
  any,
  type Check,
  fn,
  int,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  type Signature,
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
export const fnOrFns: Check = (v) =>
  fn(v) === null || (Array.isArray(v) && v.every((f) => typeof f === 'function'))
    ? null
    : 'a function or an array of functions';

/** PyTorch's `(optimizer, lr_lambda, last_epoch=-1, verbose=False)`, shared by the lr_lambda schedulers. */
export function lambdaSchedulerSignature(owner: string): Signature {
  return signature(owner, [
    req('optimizer', any),
    req('lrLambda', fnOrFns),
    opt('lastEpoch', int),
    opt('verbose', oneOf(false)),
  ]);
}

/** torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
const LAMBDA_LR = lambdaSchedulerSignature('lrScheduler.LambdaLR');

/** A function of the epoch giving the factor applied to a group's initial learning rate. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's learning rate to its initial rate times `lrLambda(epoch)` (one function,
 * or one per param group; PyTorch's `LambdaLR`).
 *
 * @throws Error when an array of functions has not one per param group.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** One function per param group: epoch to the factor of the initial rate. */
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
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasPerGroup('LambdaLR', optimizer, options.lrLambda);
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

/** One function per param group: the array as given (its length checked), or `lrLambda` repeated. */
export function lambdasPerGroup(
  owner: string,
  optimizer: AnyOptimizer,
  lrLambda: LrLambda | readonly LrLambda[],
): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return new Array(n).fill(lrLambda);
  if (lrLambda.length !== n) throw new Error(`${owner}: expected ${n} lrLambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}
