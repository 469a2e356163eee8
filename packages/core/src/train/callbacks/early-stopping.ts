import { noGrad } from '../../autograd/grad-mode.js';
import type { StateDict } from '../../nn/module.js';
import { clone } from '../../ops/convert.js';
import { keep } from '../../tensor/scope.js';
import { Callback, type Logs } from '../callback.js';
import { Monitor, type MonitorOptions, warnMissing } from './monitor.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions extends MonitorOptions {
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** At the end of training, load the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** A value the monitored quantity must beat; until it does, patience keeps running out. */
  baseline?: number;
  /** Log a line when stopping (default false). */
  verbose?: boolean;
}

/**
 * Stops training when the monitored quantity has not improved for `patience` epochs
 * (Keras' `EarlyStopping`). With `restoreBestWeights`, a copy of the model's state dict is
 * taken at each best epoch and loaded back when training ends. `stoppedEpoch` and
 * `bestEpoch` count from 0 (`stoppedEpoch` stays 0 when training ran to the end).
 *
 * ```ts
 * new train.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly baseline: number | undefined;
  /** The epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  /** The epoch with the best monitored value. */
  bestEpoch = 0;
  /** The best monitored value seen. */
  best: number;
  /** Epochs since the last improvement. */
  wait = 0;
  private readonly tracker: Monitor;
  private readonly verbose: boolean;
  private bestWeights: StateDict | null = null;
  private warned = false;

  constructor(opts: EarlyStoppingOptions = {}) {
    super();
    this.tracker = new Monitor('EarlyStopping', opts);
    this.monitor = this.tracker.monitor;
    this.mode = this.tracker.mode;
    this.patience = opts.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}`);
    }
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.baseline = opts.baseline;
    this.verbose = opts.verbose ?? false;
    this.best = this.tracker.worst();
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.tracker.worst();
    this.dropSnapshot();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) warnMissing('EarlyStopping', this.monitor, logs);
      this.warned = true;
      return;
    }
    if (this.restoreBestWeights && this.bestWeights === null) this.snapshot(epoch);
    this.wait += 1;
    if (this.tracker.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.snapshot(epoch);
      // Improving on the previous best only resets patience once the baseline is beaten too.
      if (this.baseline === undefined || this.tracker.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.context.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose)
        console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.loadStateDict(this.bestWeights);
    }
    this.dropSnapshot();
  }

  private snapshot(epoch: number): void {
    this.dropSnapshot();
    const sd = this.model.stateDict();
    // Copies, not views: later steps update the parameters in place.
    this.bestWeights = noGrad(() =>
      Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, keep(clone(t))])),
    );
    for (const t of Object.values(sd)) t.dispose();
    this.bestEpoch = epoch;
  }

  private dropSnapshot(): void {
    if (this.bestWeights) for (const t of Object.values(this.bestWeights)) t.dispose();
    this.bestWeights = null;
  }
}
