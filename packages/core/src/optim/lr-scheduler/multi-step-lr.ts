import {
  any,
  int,
  num,
  nums,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { type AnyOptimizer, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False). */
const MULTI_STEP_LR = signature('lrScheduler.MultiStepLR', [
  req('optimizer', any),
  req('milestones', nums),
  opt('gamma', num),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends SchedulerOptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` at each milestone epoch (a milestone listed
 * twice decays twice, as PyTorch's Counter does; PyTorch's `MultiStepLR`).
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.MultiStepLR(opt, [30, 80], { gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch → how many times it was listed. */
  milestones: Record<number, number>;
  /** The factor applied at each milestone (default 0.1). */
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    milestones: readonly number[],
    ...rest: PosOrOpts<[gamma: number, lastEpoch: number, verbose: false], MultiStepLROptions>
  ) {
    const options = MULTI_STEP_LR.parse<MultiStepLROptions & { milestones: readonly number[] }>([
      optimizer,
      milestones,
      ...rest,
    ]);
    milestones = options.milestones;
    super(optimizer, options.lastEpoch);
    this.milestones = {};
    for (const m of milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones[this.lastEpoch];
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override getClosedFormLr(): number[] {
    let passed = 0;
    for (const [m, c] of Object.entries(this.milestones)) if (Number(m) <= this.lastEpoch) passed += c;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}
