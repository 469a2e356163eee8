import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0, last_epoch=-1, verbose=False). */
const COSINE_ANNEALING_WARM_RESTARTS = signature('lrScheduler.CosineAnnealingWarmRestarts', [
  req('optimizer', any),
  req('t0', int),
  opt('tMult', int),
  opt('etaMin', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** The factor by which the period grows after each restart (an integer >= 1, default 1). */
  tMult?: number;
  /** The minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * SGDR (Loshchilov & Hutter; PyTorch's `CosineAnnealingWarmRestarts`): cosine annealing from
 * each group's initial rate down to `etaMin` over `t0` epochs, then a restart at the initial
 * rate, the period growing by `tMult` after each restart. `step()` moves one epoch on;
 * `step(epoch)` jumps to a (possibly fractional) epoch, so it can be called after every batch
 * as `step(epoch + i / iters)`.
 *
 * @throws Error when `t0` is not a positive integer or `tMult` not an integer >= 1.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, 10, 2, 1e-5);
 * for (let epoch = 0; epoch < 70; epoch++)
 *   for (let i = 0; i < iters; i++) { trainStep(); sched.step(epoch + i / iters); }
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** PyTorch's T_0: the epochs until the first restart. */
  T0: number;
  /** PyTorch's T_i: the epochs of the current period. */
  Ti: number;
  /** PyTorch's T_mult. */
  TMult: number;
  /** The minimum learning rate (default 0). */
  etaMin: number;
  /** PyTorch's T_cur: the epochs since the last restart (fractional after step(epoch)). */
  TCur: number;

  constructor(
    optimizer: AnyOptimizer,
    t0: number,
    ...rest: PosOrOpts<
      [tMult: number, etaMin: number, lastEpoch: number, verbose: false],
      CosineAnnealingWarmRestartsOptions
    >
  ) {
    const options = COSINE_ANNEALING_WARM_RESTARTS.parse<CosineAnnealingWarmRestartsOptions & { t0: number }>(
      [optimizer, t0, ...rest],
    );
    const T0 = options.t0;
    const TMult = options.tMult ?? 1;
    if (!(T0 > 0))
      throw new Error(`CosineAnnealingWarmRestarts: expected positive integer t0, but got ${T0}`);
    if (!(TMult >= 1))
      throw new Error(`CosineAnnealingWarmRestarts: expected integer tMult >= 1, but got ${TMult}`);
    const lastEpoch = options.lastEpoch ?? -1;
    super(optimizer, lastEpoch);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = options.etaMin ?? 0;
    this.TCur = lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { etaMin, TCur, Ti } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * TCur) / Ti))) / 2);
  }

  /**
   * Moves to the next epoch, or to `epoch` when given (a non-negative number, fractional
   * allowed), restarting the cosine as the periods dictate.
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.Ti) {
        this.TCur = this.TCur - this.Ti;
        this.Ti = this.Ti * this.TMult;
      }
    } else {
      if (typeof epoch !== 'number' || !(epoch >= 0)) {
        throw new Error(`CosineAnnealingWarmRestarts.step: expected non-negative epoch, but got ${epoch}`);
      }
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = epoch % this.T0;
        } else {
          // Python's int(math.log(x, base)): log(x) / log(base), truncated.
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }

  /** @internal SequentialLR's `step(0)` is this scheduler's own `step(epoch)`, as in PyTorch. */
  override _stepTo(epoch: number): void {
    this.step(epoch);
  }
}
