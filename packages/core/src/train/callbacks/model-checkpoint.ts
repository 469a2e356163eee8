import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs } from '../callback.js';
import { formatTemplate } from '../format.js';
import { Monitor, warnMissing } from './monitor.js';

/** Writes a checkpoint object to a path; may be async (fit awaits it). */
export type SaveFn = (path: string, obj: Record<string, unknown>) => void | Promise<void>;

/** Options of {@link ModelCheckpoint}. */
export interface ModelCheckpointOptions {
  /**
   * The file path, with placeholders filled from the epoch's logs: `{epoch}` (counted from 1,
   * as Keras does), `{val_loss:.4f}`, `{epoch:02d}` …
   */
  filepath: string;
  /** Writes the checkpoint. Required in the browser-safe core; `@proj/core/node`'s ModelCheckpoint supplies `save`. */
  saveFn?: SaveFn;
  /** The log key that decides "best" (default 'val_loss'). */
  monitor?: string;
  /** Save only when the monitored value improves (default false: every epoch). */
  saveBestOnly?: boolean;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names. */
  mode?: 'min' | 'max' | 'auto';
  /**
   * true (default): save the model's state dict; false: `{ model, optimizer, epoch }` with
   * both state dicts, enough to resume training.
   */
  saveWeightsOnly?: boolean;
  /** Save every this many epochs (default 1). */
  period?: number;
  /** Log a line on each save (default false). */
  verbose?: boolean;
}

/**
 * Saves the model after epochs (Keras' `ModelCheckpoint`): every epoch, or with
 * `saveBestOnly` only when the monitored value improves. The writing is left to `saveFn`,
 * so this class stays browser-safe; in Node import `ModelCheckpoint` from `@proj/core/node`,
 * which writes files with `save`.
 *
 * ```ts
 * new train.ModelCheckpoint({ filepath: 'ckpt-{epoch:02d}-{val_loss:.4f}.safetensors', saveBestOnly: true, saveFn })
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly period: number;
  /** The best monitored value so far. */
  best: number;
  /** The paths written, in order. */
  readonly saved: string[] = [];
  private readonly saveFn: SaveFn;
  private readonly tracker: Monitor;
  private readonly verbose: boolean;
  private warned = false;

  constructor(opts: ModelCheckpointOptions) {
    super();
    if (!opts || typeof opts.filepath !== 'string' || opts.filepath === '') {
      throw new Error('ModelCheckpoint: filepath is required');
    }
    if (typeof opts.saveFn !== 'function') {
      throw new Error(
        "ModelCheckpoint: saveFn is required in the browser-safe core; in Node use ModelCheckpoint from '@proj/core/node', which saves files",
      );
    }
    this.filepath = opts.filepath;
    this.saveFn = opts.saveFn;
    this.tracker = new Monitor('ModelCheckpoint', { monitor: opts.monitor, mode: opts.mode });
    this.monitor = this.tracker.monitor;
    this.mode = this.tracker.mode;
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.saveWeightsOnly = opts.saveWeightsOnly ?? true;
    this.period = opts.period ?? 1;
    this.verbose = opts.verbose ?? false;
    this.best = this.tracker.worst();
  }

  override onTrainBegin(): void {
    this.best = this.tracker.worst();
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if ((epoch + 1) % this.period !== 0) return;
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        if (!this.warned) warnMissing('ModelCheckpoint', this.monitor, logs);
        this.warned = true;
        return;
      }
      if (!this.tracker.isImprovement(current, this.best)) return;
      this.best = current;
    }
    const path = formatTemplate(this.filepath, { ...logs, epoch: epoch + 1 });
    await this.write(path, epoch);
    this.saved.push(path);
    if (this.verbose) console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
  }

  private async write(path: string, epoch: number): Promise<void> {
    const owned: Tensor[] = [];
    // Built outside tidy: the state dicts' tensors are disposed here once saveFn is done.
    const model = this.model.stateDict();
    owned.push(...Object.values(model));
    let obj: Record<string, unknown> = model;
    if (!this.saveWeightsOnly) {
      obj = { model, epoch };
      if (this.optimizer) {
        const sd = this.optimizer.stateDict();
        for (const s of Object.values(sd.state))
          for (const v of Object.values(s)) if (typeof v !== 'number') owned.push(v);
        obj.optimizer = sd;
      }
    }
    try {
      await this.saveFn(path, obj);
    } finally {
      for (const t of owned) t.dispose();
    }
  }
}
