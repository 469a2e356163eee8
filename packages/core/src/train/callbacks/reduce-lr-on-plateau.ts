import {
  ReduceLROnPlateau as PlateauScheduler,
  type ReduceLROnPlateauOptions as SchedulerOptions,
} from '../../optim/lr-scheduler/reduce-lr-on-plateau.js';
import { Callback, type Logs, resolveMode } from '../callback.js';
import { warnMissing } from './monitor.js';

/** Options of the {@link ReduceLROnPlateau} callback: the scheduler's, plus what to watch. */
export interface ReduceLROnPlateauOptions extends Omit<SchedulerOptions, 'mode'> {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names. */
  mode?: 'min' | 'max' | 'auto';
  /** Log a line when the rate drops (default false). */
  verbose?: boolean;
}

/**
 * Lowers the optimizer's learning rate by `factor` when the monitored log has stopped
 * improving, by driving `optim.lrScheduler.ReduceLROnPlateau` (PyTorch's rule: the rate
 * drops on the first epoch after `patience` epochs without improvement, defaults included:
 * factor 0.1, patience 10, relative threshold 1e-4). The scheduler is created when training
 * begins, on the run's optimizer, and stays readable as `scheduler`.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  /** The scheduler this callback drives (set in onTrainBegin). */
  scheduler: PlateauScheduler | null = null;
  private readonly options: SchedulerOptions;
  private readonly verbose: boolean;
  private warned = false;

  constructor(opts: ReduceLROnPlateauOptions = {}) {
    super();
    const { monitor, mode, verbose, ...rest } = opts;
    this.monitor = monitor ?? 'val_loss';
    this.options = { ...rest, mode: resolveMode('ReduceLROnPlateau', mode, this.monitor) };
    this.verbose = verbose ?? false;
  }

  override onTrainBegin(): void {
    const opt = this.optimizer;
    if (!opt) throw new Error('ReduceLROnPlateau: the training run has no optimizer');
    if (this.scheduler?.optimizer !== opt) this.scheduler = new PlateauScheduler(opt, this.options);
  }

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
