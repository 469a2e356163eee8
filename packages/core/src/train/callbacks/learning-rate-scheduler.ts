import { fn, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { Callback, type Logs } from '../callback.js';

/**
 * Keras's `LearningRateScheduler(schedule, verbose=0)`
 * (https://keras.io/api/callbacks/learning_rate_scheduler/).
 */
const LEARNING_RATE_SCHEDULER = signature('train.LearningRateScheduler', [
  req('schedule', fn),
  opt('verbose', oneOf(0, 1, false, true)),
]);

/** A schedule: the epoch (from 0) and the current learning rate to the epoch's learning rate. */
export type LearningRateSchedule = (epoch: number, lr: number) => number;

/** Options of {@link LearningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /** Keras's `schedule`: `(epoch, lr) => newLr` (required, by position or by name). */
  schedule?: LearningRateSchedule;
  /** Log a line whenever the rate is set: Keras's 0 or 1, or a boolean (default 0). */
  verbose?: 0 | 1 | boolean;
}

/**
 * Sets the learning rate at the start of every epoch to `schedule(epoch, lr)` (Keras's
 * `LearningRateScheduler`): `epoch` counts from 0 and `lr` is the optimizer's current rate.
 * At the end of each epoch the rate is logged as `learning_rate`, as Keras logs it. The
 * optimizer's param groups must share one rate (Keras's optimizers have one); for per-group
 * rates use `optim.lrScheduler.LambdaLR`.
 *
 * @throws Error at the start of an epoch when the run has no optimizer, its param groups have
 *   different rates, or `schedule` returns anything but a finite number.
 *
 * @example
 * ```ts
 * new train.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 * ```
 */
export class LearningRateScheduler extends Callback {
  /** The schedule: `(epoch, lr) => newLr`. */
  readonly schedule: LearningRateSchedule;
  /** Whether a line is printed each time the rate is set. */
  readonly verbose: boolean;

  constructor(
    schedule: LearningRateSchedule,
    ...rest: PosOrOpts<[verbose: 0 | 1 | boolean], LearningRateSchedulerOptions>
  ) {
    super();
    const o = LEARNING_RATE_SCHEDULER.parse<
      Required<Pick<LearningRateSchedulerOptions, 'schedule'>> & LearningRateSchedulerOptions
    >([schedule, ...rest]);
    this.schedule = o.schedule;
    this.verbose = Boolean(o.verbose);
  }

  private groups() {
    const opt = this.optimizer;
    if (!opt) throw new Error('LearningRateScheduler: the training run has no optimizer');
    const rates = opt.paramGroups.map((g) => g.lr);
    if (rates.some((r) => r !== rates[0])) {
      throw new Error(
        `LearningRateScheduler: the optimizer's param groups have different learning rates (${rates.join(', ')}); Keras's schedule sets one rate: use optim.lrScheduler.LambdaLR for per-group schedules`,
      );
    }
    return opt.paramGroups;
  }

  /** Sets every param group's `lr` to `schedule(epoch, lr)`. */
  override onEpochBegin(epoch: number): void {
    const groups = this.groups();
    const lr = this.schedule(epoch, groups[0].lr);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new Error(
        `LearningRateScheduler: the output of the schedule function should be a finite number. Got: ${String(lr)}`,
      );
    }
    for (const g of groups) g.lr = lr;
    if (this.verbose)
      console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  /** Adds the epoch's rate to the logs as `learning_rate`. */
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = this.groups()[0].lr;
  }
}
