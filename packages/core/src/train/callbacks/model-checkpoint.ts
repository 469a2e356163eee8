import {
  bool,
  ext,
  fn,
  int,
  num,
  oneOf,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs } from '../callback.js';
import { formatTemplate } from '../format.js';
import { Monitor, warnMissing } from './monitor.js';

/**
 * Writes a checkpoint object to a path; may be async (fit awaits it). The object is the model's
 * state dict, or `{ model, optimizer, epoch }` without `saveWeightsOnly`; its tensors are
 * disposed once the function returns (or its promise settles), so copy what you keep.
 */
export type SaveFn = (path: string, obj: Record<string, unknown>) => void | Promise<void>;

/**
 * Keras's `ModelCheckpoint(filepath, monitor="val_loss", verbose=0, save_best_only=False,
 * save_weights_only=False, mode="auto", save_freq="epoch", initial_value_threshold=None)`
 * (https://keras.io/api/callbacks/model_checkpoint/), then ours by name: `saveFn`, `period`.
 */
const MODEL_CHECKPOINT = signature('train.ModelCheckpoint', [
  req('filepath', str),
  opt('monitor', str),
  opt('verbose', oneOf(0, 1, false, true)),
  opt('saveBestOnly', bool),
  opt('saveWeightsOnly', bool),
  opt('mode', oneOf('auto', 'min', 'max')),
  opt(
    'saveFreq',
    onlyDefault('epoch', 'saving every N batches is not implemented; use period to save every N epochs'),
  ),
  opt('initialValueThreshold', optional(num)),
  ext('saveFn', fn),
  ext('period', int),
]);

/** Options of {@link ModelCheckpoint}: Keras's parameters (camelCase) after `filepath`, and ours. */
export interface ModelCheckpointOptions {
  /** The log key that decides "best" (default 'val_loss'). */
  monitor?: string;
  /** Log a line on each save: Keras's 0 or 1, or a boolean (default 0). */
  verbose?: 0 | 1 | boolean;
  /** Save only when the monitored value improves (default false: every epoch). */
  saveBestOnly?: boolean;
  /**
   * true (default here; Keras's default false saves the whole model, which has no counterpart
   * here): save the model's state dict; false: `{ model, optimizer, epoch }` with both state
   * dicts, enough to resume training.
   */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names. */
  mode?: 'min' | 'max' | 'auto';
  /** Keras's save frequency: only 'epoch' (saving every N batches is not implemented; see `period`). */
  saveFreq?: 'epoch';
  /** With `saveBestOnly`: the value the first save must beat (default null: any value). */
  initialValueThreshold?: number | null;
  /** Ours: writes the checkpoint. Required in the browser-safe core; `@proj/core/node`'s ModelCheckpoint supplies `save`. */
  saveFn?: SaveFn;
  /** Ours: save every this many epochs (default 1). */
  period?: number;
}

/** {@link ModelCheckpointOptions} with `filepath`, for the all-by-name form. */
export interface ModelCheckpointNamedOptions extends ModelCheckpointOptions {
  /**
   * The file path, with placeholders filled from the epoch's logs: `{epoch}` (counted from 1,
   * as Keras does), `{val_loss:.4f}`, `{epoch:02d}` …
   */
  filepath: string;
}

/**
 * Saves the model after epochs (Keras' `ModelCheckpoint`): every epoch, or with
 * `saveBestOnly` only when the monitored value improves. The writing is left to `saveFn`,
 * so this class stays browser-safe; in Node import `ModelCheckpoint` from `@proj/core/node`,
 * which writes files with `save`.
 *
 * Keras's parameters in Keras's order, or by name in one options object (`filepath` too); an
 * unknown name or a mistyped value is an error listing the accepted ones. `saveFreq` other than
 * 'epoch' is refused; unlike Keras, `saveWeightsOnly` defaults to true.
 *
 * @throws Error when `filepath` is empty, or no `saveFn` is given in the core (Node's class
 *   supplies one).
 *
 * @example
 * ```ts
 * new train.ModelCheckpoint('ckpt-{epoch:02d}-{val_loss:.4f}.safetensors', { saveBestOnly: true, saveFn })
 * new train.ModelCheckpoint({ filepath: 'best.safetensors', monitor: 'val_accuracy', saveBestOnly: true, saveFn })
 * ```
 */
export class ModelCheckpoint extends Callback {
  /** The path template, filled from each epoch's logs (`{epoch:02d}`, `{val_loss:.4f}` …). */
  readonly filepath: string;
  /** The log key that decides "best" (default 'val_loss'). */
  readonly monitor: string;
  /** Whether lower ('min') or higher ('max') values are better, after resolving 'auto'. */
  readonly mode: 'min' | 'max';
  /** Whether only improvements of the monitored value are saved. */
  readonly saveBestOnly: boolean;
  /** Whether the checkpoint is the model's state dict only (else `{ model, optimizer, epoch }`). */
  readonly saveWeightsOnly: boolean;
  /** Saves every this many epochs. */
  readonly period: number;
  /** The best monitored value so far. */
  best: number;
  /** With `saveBestOnly`, the value the first save must beat (null: any). */
  readonly initialValueThreshold: number | null;
  /** The paths written, in order. */
  readonly saved: string[] = [];
  private readonly saveFn: SaveFn;
  private readonly tracker: Monitor;
  private readonly verbose: boolean;
  private warned = false;

  constructor(
    filepath: string,
    ...rest: PosOrOpts<
      [
        monitor: string,
        verbose: 0 | 1 | boolean,
        saveBestOnly: boolean,
        saveWeightsOnly: boolean,
        mode: 'min' | 'max' | 'auto',
        saveFreq: 'epoch',
        initialValueThreshold: number | null,
      ],
      ModelCheckpointOptions
    >
  );
  constructor(options: ModelCheckpointNamedOptions);
  constructor(...args: unknown[]) {
    super();
    const parsed = MODEL_CHECKPOINT.parse<ModelCheckpointNamedOptions>(args);
    const opts = { ...parsed, saveFn: parsed.saveFn ?? this.defaultSaveFn() };
    if (opts.filepath === '') throw new Error('ModelCheckpoint: filepath must not be empty');
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
    this.verbose = Boolean(opts.verbose);
    this.initialValueThreshold = opts.initialValueThreshold ?? null;
    this.best = this.initialValueThreshold ?? this.tracker.worst();
  }

  /** Writes checkpoints when no `saveFn` is given: none in the core (Node's ModelCheckpoint: `save`). */
  protected defaultSaveFn(): SaveFn | undefined {
    return undefined;
  }

  /** Resets `best` to `initialValueThreshold` (or the worst value), so each run starts afresh. */
  override onTrainBegin(): void {
    this.best = this.initialValueThreshold ?? this.tracker.worst();
  }

  /**
   * Every `period` epochs, fills the path from the logs and writes the checkpoint through
   * `saveFn` (with `saveBestOnly`, only on improvement; warns once when the logs lack `monitor`).
   */
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
