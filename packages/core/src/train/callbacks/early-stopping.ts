import { noGrad } from '../../autograd/grad-mode.js';
import type { StateDict } from '../../nn/module.js';
import { clone } from '../../ops/convert.js';
import {
  bool,
  int,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  signature,
  str,
} from '../../signature/signature.js';
import { keep } from '../../tensor/scope.js';
import { Callback, type Logs } from '../callback.js';
import { Monitor, type MonitorOptions, warnMissing } from './monitor.js';

/**
 * Keras's `EarlyStopping(monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
 * baseline=None, restore_best_weights=False, start_from_epoch=0)`
 * (https://keras.io/api/callbacks/early_stopping/).
 */
const EARLY_STOPPING = signature('train.EarlyStopping', [
  opt('monitor', str),
  opt('minDelta', num),
  opt('patience', int),
  opt('verbose', oneOf(0, 1, false, true)),
  opt('mode', oneOf('auto', 'min', 'max')),
  opt('baseline', optional(num)),
  opt('restoreBestWeights', bool),
  opt('startFromEpoch', int),
]);

/** Options of {@link EarlyStopping} (Keras's parameters, camelCase). */
export interface EarlyStoppingOptions extends MonitorOptions {
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** Log a line when stopping: Keras's 0 or 1, or a boolean (default 0). */
  verbose?: 0 | 1 | boolean;
  /** A value the monitored quantity must beat; until it does, patience keeps running out (default null). */
  baseline?: number | null;
  /** At the end of training, load the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before the monitored value is watched at all (default 0). */
  startFromEpoch?: number;
}

/**
 * Stops training when the monitored quantity has not improved for `patience` epochs
 * (Keras' `EarlyStopping`). With `restoreBestWeights`, a copy of the model's state dict is
 * taken at each best epoch and loaded back when training ends. `stoppedEpoch` and
 * `bestEpoch` count from 0 (`stoppedEpoch` stays 0 when training ran to the end); epochs
 * before `startFromEpoch` are not watched.
 *
 * Keras's parameters in Keras's order, or by name in one options object; an unknown name or a
 * mistyped value is an error listing the accepted ones:
 *
 * ```ts
 * new train.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })
 * new train.EarlyStopping('val_loss', 0, 3) // monitor, minDelta, patience
 * ```
 */
export class EarlyStopping extends Callback {
  /** The log key watched (Keras's `monitor`, default 'val_loss'). */
  readonly monitor: string;
  /** Whether lower ('min') or higher ('max') values are better, after resolving 'auto'. */
  readonly mode: 'min' | 'max';
  /** Epochs without improvement after which training stops. */
  readonly patience: number;
  /** Whether the best epoch's weights are loaded back when training ends. */
  readonly restoreBestWeights: boolean;
  /** The value the monitored quantity must beat before patience resets (undefined: none). */
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

  /** Epochs before this one are not watched (Keras's warm-up). */
  readonly startFromEpoch: number;

  constructor(
    ...args: PosOrOpts<
      [
        monitor: string,
        minDelta: number,
        patience: number,
        verbose: 0 | 1 | boolean,
        mode: 'min' | 'max' | 'auto',
        baseline: number | null,
        restoreBestWeights: boolean,
        startFromEpoch: number,
      ],
      EarlyStoppingOptions
    >
  ) {
    super();
    const opts = EARLY_STOPPING.parse<EarlyStoppingOptions>(args);
    this.tracker = new Monitor('EarlyStopping', opts);
    this.monitor = this.tracker.monitor;
    this.mode = this.tracker.mode;
    this.patience = opts.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}`);
    }
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.baseline = opts.baseline ?? undefined;
    this.verbose = Boolean(opts.verbose);
    this.startFromEpoch = opts.startFromEpoch ?? 0;
    if (this.startFromEpoch < 0) {
      throw new Error(
        `EarlyStopping: startFromEpoch must be a non-negative integer, got ${this.startFromEpoch}`,
      );
    }
    this.best = this.tracker.worst();
  }

  /** Resets the counters and the best value, so one instance serves several runs. */
  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.tracker.worst();
    this.dropSnapshot();
  }

  /**
   * Compares the monitored value with the best so far and sets `context.stopTraining` once
   * `patience` epochs passed without improvement; warns once when the logs lack the key.
   */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) warnMissing('EarlyStopping', this.monitor, logs);
      this.warned = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
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

  /** Loads the best epoch's weights back (with `restoreBestWeights`) and frees the copy. */
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
