import { any, int, nums, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { ParamGroupBase } from '../optimizer.js';
import {
  type AnyOptimizer,
  LRScheduler,
  restore,
  type SchedulerOptions,
  type SchedulerStateDict,
  snapshot,
} from './lr-scheduler.js';

/** torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones, last_epoch=-1, verbose=False). */
const SEQUENTIAL_LR = signature('lrScheduler.SequentialLR', [
  req('optimizer', any),
  req('schedulers', (v) =>
    Array.isArray(v) && v.every((s) => s instanceof LRScheduler) ? null : 'an array of LRSchedulers',
  ),
  req('milestones', nums),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/**
 * Runs `schedulers` one after another, switching at each milestone epoch; the next scheduler
 * starts from epoch 0 of its own schedule (PyTorch's `SequentialLR`). The usual warm-up then
 * decay:
 *
 * @throws Error when `schedulers` is empty, they do not all drive `optimizer`, or there is not
 *   one milestone fewer than schedulers.
 *
 * @example
 * ```ts
 * const { LinearLR, CosineAnnealingLR, SequentialLR } = optim.lrScheduler;
 * const sched = new SequentialLR(opt, [
 *   new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }),
 *   new CosineAnnealingLR(opt, 95),
 * ], [5]);
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** @internal */
  _schedulers: LRScheduler[];
  /** @internal */
  _milestones: number[];

  constructor(
    optimizer: AnyOptimizer,
    schedulers: readonly LRScheduler[],
    milestones: readonly number[],
    ...rest: PosOrOpts<[lastEpoch: number, verbose: false], SchedulerOptions>
  ) {
    const options = SEQUENTIAL_LR.parse<
      SchedulerOptions & { schedulers: readonly LRScheduler[]; milestones: readonly number[] }
    >([optimizer, schedulers, milestones, ...rest]);
    schedulers = options.schedulers;
    milestones = options.milestones;
    super(optimizer, -1);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          `SequentialLR: expects all schedulers to belong to the same optimizer, but the scheduler at index ${i} has a different one`,
        );
      }
    });
    if (schedulers.length === 0) throw new Error('SequentialLR: expects at least one scheduler');
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(
        `SequentialLR: expects one milestone fewer than schedulers, but got ${schedulers.length} schedulers and ${milestones.length} milestones`,
      );
    }
    this._schedulers = [...schedulers];
    this._milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // Undo the initial steps of the schedulers (each constructor stepped once) and restart the first.
    for (const g of optimizer.paramGroups as ParamGroupBase[]) g.lr = g.initialLr as number;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    this._schedulers[0].initialStep();
    this._lastLr = this._schedulers[0].getLastLr();
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  override step(): void {
    this.lastEpoch++;
    const idx = bisectRight(this._milestones, this.lastEpoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler._stepTo(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  /** The state, with each inner scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    const sd = snapshot(this, ['optimizer', '_schedulers']);
    sd._schedulers = this._schedulers.map((s) => s.stateDict());
    return sd;
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer', '_schedulers']);
    const inner = sd._schedulers as SchedulerStateDict[] | undefined;
    if (!Array.isArray(inner) || inner.length !== this._schedulers.length) {
      throw new Error(
        `SequentialLR.loadStateDict: expected ${this._schedulers.length} scheduler states, got ${Array.isArray(inner) ? inner.length : 'none'}`,
      );
    }
    inner.forEach((s, i) => {
      this._schedulers[i].loadStateDict(s);
    });
  }
}

/** The number of items of sorted `a` that are <= x (Python's bisect_right). */
function bisectRight(a: readonly number[], x: number): number {
  let i = 0;
  while (i < a.length && a[i] <= x) i++;
  return i;
}
