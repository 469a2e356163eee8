import { any, int, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False). */
const COSINE_ANNEALING_LR = signature('lrScheduler.CosineAnnealingLR', [
  req('optimizer', any),
  req('tMax', num),
  opt('etaMin', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** The minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's initial rate down to `etaMin` over `TMax` epochs, then
 * back up (SGDR without restarts). Uses PyTorch's recursive form, so rates set by hand or by
 * another scheduler in between are taken into account exactly as PyTorch does
 * (PyTorch's `CosineAnnealingLR`).
 *
 * @throws Error when `TMax` is not positive.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, 100, { etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** PyTorch's `T_max`: the epochs of half a cosine period. */
  TMax: number;
  /** The minimum learning rate (default 0). */
  etaMin: number;

  constructor(
    optimizer: AnyOptimizer,
    tMax: number,
    ...rest: PosOrOpts<[etaMin: number, lastEpoch: number, verbose: false], CosineAnnealingLROptions>
  ) {
    const options = COSINE_ANNEALING_LR.parse<CosineAnnealingLROptions & { tMax: number }>([
      optimizer,
      tMax,
      ...rest,
    ]);
    const TMax = options.tMax;
    super(optimizer, options.lastEpoch);
    if (!(TMax > 0)) throw new Error(`CosineAnnealingLR: TMax must be > 0 (got ${TMax})`);
    this.TMax = TMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { TMax: T, etaMin, lastEpoch: e } = this;
    if (e === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (mod(e - 1 - T, 2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - etaMin) +
        etaMin,
    );
  }

  protected override getClosedFormLr(): number[] {
    const { TMax: T, etaMin, lastEpoch: e } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2);
  }
}

/** Python's modulo (result has the divisor's sign). */
function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
