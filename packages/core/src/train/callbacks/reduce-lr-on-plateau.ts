import {
  ReduceLROnPlateau as PlateauScheduler,
  type ReduceLROnPlateauOptions as SchedulerOptions,
} from '../../optim/lr-scheduler/reduce-lr-on-plateau.js';
import {
  either,
  ext,
  int,
  num,
  nums,
  oneOf,
  opt,
  type PosOrOpts,
  signature,
  str,
} from '../../signature/signature.js';
import { Callback, type Logs, resolveMode } from '../callback.js';
import { warnMissing } from './monitor.js';

/**
 * Keras's `ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10, verbose=0,
 * mode="auto", min_delta=0.0001, cooldown=0, min_lr=0.0, **kwargs)`
 * (https://keras.io/api/callbacks/reduce_lr_on_plateau/), then, by name, the PyTorch
 * scheduler's `threshold`, `thresholdMode` and `eps` (ours: Keras has no such parameters).
 */
const REDUCE_LR_ON_PLATEAU = signature('train.ReduceLROnPlateau', [
  opt('monitor', str),
  opt('factor', num),
  opt('patience', int),
  opt('verbose', oneOf(0, 1, false, true)),
  opt('mode', oneOf('auto', 'min', 'max')),
  opt('minDelta', num),
  opt('cooldown', int),
  opt('minLr', either(num, nums)),
  ext('threshold', num),
  ext('thresholdMode', oneOf('rel', 'abs')),
  ext('eps', num),
]);

/** Options of the {@link ReduceLROnPlateau} callback: Keras's parameters, camelCase. */
export interface ReduceLROnPlateauOptions
  extends Omit<SchedulerOptions, 'mode' | 'threshold' | 'thresholdMode'> {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Log a line when the rate drops: Keras's 0 or 1, or a boolean (default 0). */
  verbose?: 0 | 1 | boolean;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names. */
  mode?: 'min' | 'max' | 'auto';
  /** The least absolute change that counts as an improvement (Keras's `min_delta`, default 1e-4). */
  minDelta?: number;
  /** Ours (the PyTorch scheduler's): a threshold instead of `minDelta`, read with `thresholdMode`. */
  threshold?: number;
  /** Ours: how `threshold` is read, 'rel' (default, as PyTorch) or 'abs'. */
  thresholdMode?: 'rel' | 'abs';
}

/**
 * Lowers the optimizer's learning rate by `factor` when the monitored log has stopped
 * improving, by driving `optim.lrScheduler.ReduceLROnPlateau`. Keras's parameters (factor 0.1,
 * patience 10, an absolute `minDelta` of 1e-4, cooldown 0, minLr 0), in Keras's order or by
 * name; when the rate drops follows PyTorch's rule: on the first epoch after `patience` epochs
 * without improvement (Keras drops it one epoch earlier, on the `patience`-th). The scheduler is
 * created when training begins, on the run's optimizer, and stays readable as `scheduler`.
 *
 * @throws Error when both `minDelta` and `threshold` are given; when training begins without
 *   an optimizer.
 *
 * @example
 * ```ts
 * new train.ReduceLROnPlateau({ patience: 2, factor: 0.5 }) // or ('val_loss', 0.5, 2)
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  /** The log key watched (Keras's `monitor`, default 'val_loss'). */
  readonly monitor: string;
  /** The scheduler this callback drives (set in onTrainBegin). */
  scheduler: PlateauScheduler | null = null;
  private readonly options: SchedulerOptions;
  private readonly verbose: boolean;
  private warned = false;

  constructor(
    ...args: PosOrOpts<
      [
        monitor: string,
        factor: number,
        patience: number,
        verbose: 0 | 1 | boolean,
        mode: 'min' | 'max' | 'auto',
        minDelta: number,
        cooldown: number,
        minLr: number | readonly number[],
      ],
      ReduceLROnPlateauOptions
    >
  ) {
    super();
    const { monitor, mode, verbose, minDelta, threshold, thresholdMode, ...rest } =
      REDUCE_LR_ON_PLATEAU.parse<ReduceLROnPlateauOptions>(args);
    if (minDelta !== undefined && threshold !== undefined) {
      throw new Error('ReduceLROnPlateau: give either minDelta (Keras) or threshold (PyTorch), not both');
    }
    this.monitor = monitor ?? 'val_loss';
    // Keras's min_delta is absolute (`current < best - min_delta`): PyTorch's threshold in 'abs' mode.
    const limit =
      threshold === undefined
        ? { threshold: minDelta ?? 1e-4, thresholdMode: 'abs' as const }
        : { threshold, thresholdMode };
    this.options = { ...rest, ...limit, mode: resolveMode('ReduceLROnPlateau', mode, this.monitor) };
    this.verbose = Boolean(verbose);
  }

  /** Creates the scheduler on the run's optimizer (kept when the optimizer is the same as last run's). */
  override onTrainBegin(): void {
    const opt = this.optimizer;
    if (!opt) throw new Error('ReduceLROnPlateau: the training run has no optimizer');
    if (this.scheduler?.optimizer !== opt) this.scheduler = new PlateauScheduler(opt, this.options);
  }

  /** Steps the scheduler with the monitored value; warns once when the logs lack it. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) warnMissing('ReduceLROnPlateau', this.monitor, logs);
      this.warned = true;
      return;
    }
    const s = this.scheduler;
    if (!s) throw new Error('ReduceLROnPlateau: onTrainBegin was not called');
    const before = s.optimizer.paramGroups.map((g) => g.lr);
    s.step(current);
    const after = s.optimizer.paramGroups.map((g) => g.lr);
    if (this.verbose && after.some((lr, i) => lr !== before[i])) {
      console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${after.join(', ')}.`);
    }
  }
}
