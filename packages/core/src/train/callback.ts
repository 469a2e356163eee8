import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';

/** Numbers logged for a batch or an epoch: `loss`, metrics, `val_*`, `lr`, `size` … */
export type Logs = Record<string, number>;

/** What a hook may return: nothing, or a promise that `fit` awaits. */
export type HookResult = void | Promise<void>;

/** The training run a callback belongs to (Keras' `callback.model` and `callback.params`). */
export interface FitContext {
  /** The model being trained (Keras' `callback.model`). */
  model: Module;
  /** The optimizer that `fit` steps; absent when a callback is attached by hand without one. */
  optimizer?: Optimizer<any>;
  /** The number of epochs fit will run (`epochs` option). */
  epochs: number;
  /** Batches per epoch, when the training data knows its length. */
  steps?: number;
  /** The metric names that epochs log (without the `val_` prefix), loss first. */
  metrics: string[];
  /** fit's `verbose` option. */
  verbose: number;
  /** Set it to true (e.g. from `onEpochEnd`) to end training after the current epoch or batch. */
  stopTraining: boolean;
}

/**
 * Base of the training callbacks (Keras' `Callback`). Override the hooks you need; epochs
 * and batches count from 0. `fit` calls {@link setContext} before `onTrainBegin`, so hooks
 * can read `this.model` and `this.optimizer` and stop training with `this.context.stopTraining = true`.
 * `fit` awaits a hook that returns a promise before it goes on.
 *
 * @example
 * ```ts
 * class StopAtLoss extends train.Callback {
 *   override onEpochEnd(epoch: number, logs: train.Logs = {}): void {
 *     if (logs.loss < 0.05) this.context.stopTraining = true;
 *   }
 * }
 * await train.fit(model, { train: [x, y], loss: 'mse', optimizer: 'adam', callbacks: [new StopAtLoss()] });
 * ```
 */
export class Callback {
  /** The training run; set by `fit` (or by {@link setContext} directly in tests). */
  context!: FitContext;
  /** True for callbacks that print progress, so `fit` adds no default printer beside them. */
  readonly printsProgress: boolean = false;

  /** Attaches the callback to a training run. */
  setContext(context: FitContext): void {
    this.context = context;
  }

  /** The model being trained. */
  get model(): Module {
    if (!this.context)
      throw new Error(`${this.constructor.name}: not attached to a training run (call setContext)`);
    return this.context.model;
  }

  /** The optimizer of the run, if any. */
  get optimizer(): Optimizer<any> | undefined {
    return this.context?.optimizer;
  }

  /** Called once before the first epoch (Keras' `on_train_begin`); `fit` passes empty logs. */
  onTrainBegin(_logs: Logs = {}): HookResult {}
  /** Called once after the last epoch (Keras' `on_train_end`) with the last epoch's logs. */
  onTrainEnd(_logs: Logs = {}): HookResult {}
  /** Called at the start of epoch `epoch` (from 0; Keras' `on_epoch_begin`); `fit` passes empty logs. */
  onEpochBegin(_epoch: number, _logs: Logs = {}): HookResult {}
  /**
   * Called at the end of epoch `epoch` (from 0; Keras' `on_epoch_end`) with the epoch's logs:
   * `loss` and the metrics over all its samples, `val_*` when there is validation data, and `lr`.
   */
  onEpochEnd(_epoch: number, _logs: Logs = {}): HookResult {}
  /** Called before batch `batch` of the epoch (from 0; Keras' `on_train_batch_begin`) with `{ batch }`. */
  onBatchBegin(_batch: number, _logs: Logs = {}): HookResult {}
  /**
   * Called after batch `batch` of the epoch (from 0; Keras' `on_train_batch_end`) with the
   * batch's logs: `size` (samples), `loss` and the metrics.
   */
  onBatchEnd(_batch: number, _logs: Logs = {}): HookResult {}
}

/** Runs a hook on every callback in order, awaiting each. */
export async function callAll(
  callbacks: readonly Callback[],
  run: (cb: Callback) => HookResult,
): Promise<void> {
  for (const cb of callbacks) await run(cb);
}

/** `'min'` or `'max'` for a monitored quantity: 'auto' picks 'max' for accuracy-like names. */
export function resolveMode(
  op: string,
  mode: 'min' | 'max' | 'auto' | undefined,
  monitor: string,
): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m === 'min' || m === 'max') return m;
  if (m !== 'auto') throw new Error(`${op}: mode must be 'min', 'max' or 'auto', got '${m}'`);
  return /acc|f1|precision|recall|r2|auc/i.test(monitor) ? 'max' : 'min';
}
