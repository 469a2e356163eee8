import {
  any,
  either,
  int,
  num,
  nums,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { Optimizer, type ParamGroupBase } from '../optimizer.js';
import { type AnyOptimizer, restore, type SchedulerStateDict, snapshot } from './lr-scheduler.js';

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10,
 * threshold=1e-4, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8, verbose=False).
 */
const REDUCE_LR_ON_PLATEAU = signature('lrScheduler.ReduceLROnPlateau', [
  req('optimizer', any),
  opt('mode', oneOf('min', 'max')),
  opt('factor', num),
  opt('patience', int),
  opt('threshold', num),
  opt('thresholdMode', oneOf('rel', 'abs')),
  opt('cooldown', int),
  opt('minLr', either(num, nums)),
  opt('eps', num),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing (a loss); 'max': stops increasing (default 'min'). */
  mode?: 'min' | 'max';
  /** Factor by which the learning rate is reduced, < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': improvement relative to the best value; 'abs': absolute (default 'rel'). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** The lowest learning rate, one value or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate by `factor` when a metric has stopped improving for `patience`
 * epochs (PyTorch's `ReduceLROnPlateau`). Not an `LRScheduler` subclass: `step` takes the metric.
 *
 * @throws TypeError when `optimizer` is not an Optimizer; Error when `factor` is not below 1,
 *   `minLr` has not one value per group, or `mode` or `thresholdMode` is unknown.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, 'min', 0.1, 3); // or (opt, { mode: 'min', patience: 3 })
 * sched.step(valLoss); // once per epoch
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose param groups' `lr` is reduced. */
  readonly optimizer: AnyOptimizer;
  /** 'min' for a metric to lower (a loss), 'max' for one to raise. */
  mode: 'min' | 'max';
  /** The factor each reduction multiplies the rate by (default 0.1). */
  factor: number;
  /** Bad epochs tolerated before a reduction (default 10). */
  patience: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold: number;
  /** Whether `threshold` is relative to the best value ('rel', default) or absolute ('abs'). */
  thresholdMode: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown: number;
  /** Each group's lowest rate. */
  minLrs: number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps: number;
  /** The best metric seen (±Infinity before the first step). */
  best: number;
  /** Epochs since the last improvement (PyTorch's `num_bad_epochs`). */
  numBadEpochs = 0;
  /** Epochs of cooldown left (PyTorch's `cooldown_counter`). */
  cooldownCounter = 0;
  /** The number of `step` calls so far (PyTorch's `last_epoch`). */
  lastEpoch = 0;
  /** @internal */
  _lastLr: number[];

  constructor(
    optimizer: AnyOptimizer,
    ...rest: PosOrOpts<
      [
        mode: 'min' | 'max',
        factor: number,
        patience: number,
        threshold: number,
        thresholdMode: 'rel' | 'abs',
        cooldown: number,
        minLr: number | readonly number[],
        eps: number,
        verbose: false,
      ],
      ReduceLROnPlateauOptions
    >
  ) {
    const options = REDUCE_LR_ON_PLATEAU.parse<ReduceLROnPlateauOptions>([optimizer, ...rest]);
    if (!(optimizer instanceof Optimizer)) throw new TypeError('ReduceLROnPlateau: expected an Optimizer');
    this.optimizer = optimizer;
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1)) throw new Error(`ReduceLROnPlateau: factor should be < 1.0 (got ${this.factor})`);
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new Error(`ReduceLROnPlateau: expected ${n} minLrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = new Array(n).fill(minLr as number);
    }
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? 'min';
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.eps = options.eps ?? 1e-8;
    if (this.mode !== 'min' && this.mode !== 'max')
      throw new Error(`ReduceLROnPlateau: mode ${this.mode} is unknown`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new Error(`ReduceLROnPlateau: threshold mode ${this.thresholdMode} is unknown`);
    }
    this.best = this.modeWorse();
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private modeWorse(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Whether the scheduler is waiting out its cooldown after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Records the epoch's metric (a number or a one-element tensor's value) and reduces the rate if it stalled. */
  step(metric: number | { item(): number }): void {
    const current = typeof metric === 'number' ? metric : Number(metric.item());
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during the cooldown are ignored
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    (this.optimizer.paramGroups as ParamGroupBase[]).forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** The learning rate of each param group after the last step. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The scheduler's state (plain data; `best` may be ±Infinity before the first step). */
  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  /** Restores a {@link stateDict}. */
  loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer']);
  }
}
