import { req, signature } from '../../signature/signature.js';
import { LRScheduler, restore, type SchedulerStateDict, snapshot } from './lr-scheduler.js';

/** torch.optim.lr_scheduler.ChainedScheduler(schedulers). */
const CHAINED_SCHEDULER = signature('lrScheduler.ChainedScheduler', [
  req('schedulers', (v) =>
    Array.isArray(v) && v.every((s) => s instanceof LRScheduler)
      ? null
      : 'an array of LRSchedulers (ReduceLROnPlateau, which needs a metric, cannot be chained)',
  ),
]);

/**
 * Steps several schedulers of one optimizer together: each `step()` calls every scheduler's
 * `step()` in order, so their (chainable) changes to the learning rate compose (PyTorch's
 * `ChainedScheduler`).
 *
 * @throws Error when `schedulers` is empty or they do not share one optimizer.
 *
 * @example
 * ```ts
 * const { ConstantLR, ExponentialLR, ChainedScheduler } = optim.lrScheduler;
 * const sched = new ChainedScheduler([new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)]);
 * ```
 */
export class ChainedScheduler extends LRScheduler {
  /** @internal */
  _schedulers: LRScheduler[];

  constructor(schedulers: readonly LRScheduler[]) {
    const options = CHAINED_SCHEDULER.parse<{ schedulers: readonly LRScheduler[] }>([schedulers]);
    schedulers = options.schedulers;
    if (schedulers.length === 0) throw new Error('ChainedScheduler: expects at least one scheduler');
    for (let i = 1; i < schedulers.length; i++) {
      if (schedulers[i].optimizer !== schedulers[0].optimizer) {
        throw new Error(
          `ChainedScheduler: expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`,
        );
      }
    }
    // PyTorch's ChainedScheduler does not run _LRScheduler.__init__: no initial step here (the
    // schedulers made theirs); the base constructor only reads the groups' initialLr.
    super(schedulers[0].optimizer, -1);
    this._schedulers = [...schedulers];
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler, in order. */
  override step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The state, with each inner scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    const sd = snapshot(this, ['optimizer', '_schedulers']);
    sd._schedulers = this._schedulers.map((s) => s.stateDict());
    return sd;
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    const inner = (sd as { _schedulers?: unknown })?._schedulers;
    if (!Array.isArray(inner) || inner.length !== this._schedulers.length) {
      throw new Error(
        `ChainedScheduler.loadStateDict: expected ${this._schedulers.length} scheduler states, got ${Array.isArray(inner) ? inner.length : 'none'}`,
      );
    }
    restore(this, sd, ['optimizer', '_schedulers']);
    inner.forEach((s, i) => {
      this._schedulers[i].loadStateDict(s as SchedulerStateDict);
    });
  }
}
