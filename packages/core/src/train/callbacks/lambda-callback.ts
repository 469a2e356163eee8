import { Callback, type HookResult, type Logs } from '../callback.js';

/** The hooks a {@link LambdaCallback} may run; each is optional. */
export interface LambdaHooks {
  /** Run by {@link Callback.onTrainBegin} (Keras' `on_train_begin`). */
  onTrainBegin?: (logs: Logs) => HookResult;
  /** Run by {@link Callback.onTrainEnd} with the last epoch's logs (Keras' `on_train_end`). */
  onTrainEnd?: (logs: Logs) => HookResult;
  /** Run by {@link Callback.onEpochBegin}, epochs from 0 (Keras' `on_epoch_begin`). */
  onEpochBegin?: (epoch: number, logs: Logs) => HookResult;
  /** Run by {@link Callback.onEpochEnd} with the epoch's logs (Keras' `on_epoch_end`). */
  onEpochEnd?: (epoch: number, logs: Logs) => HookResult;
  /** Run by {@link Callback.onBatchBegin}, batches from 0 (Keras' `on_train_batch_begin`). */
  onBatchBegin?: (batch: number, logs: Logs) => HookResult;
  /** Run by {@link Callback.onBatchEnd} with the batch's logs (Keras' `on_train_batch_end`). */
  onBatchEnd?: (batch: number, logs: Logs) => HookResult;
}

/**
 * A callback from plain functions (Keras' `LambdaCallback`); a hook left out does nothing, and
 * a hook's promise is awaited by `fit`.
 *
 * @example
 * ```ts
 * const losses: number[] = [];
 * new train.LambdaCallback({ onEpochEnd: (epoch, logs) => void losses.push(logs.loss) });
 * ```
 */
export class LambdaCallback extends Callback {
  private readonly hooks: LambdaHooks;

  /** Keeps a copy of `hooks` (changing the object later has no effect). */
  constructor(hooks: LambdaHooks) {
    super();
    this.hooks = { ...hooks };
  }

  /** Runs `hooks.onTrainBegin`, if given. */
  override onTrainBegin(logs: Logs = {}): HookResult {
    return this.hooks.onTrainBegin?.(logs);
  }
  /** Runs `hooks.onTrainEnd`, if given. */
  override onTrainEnd(logs: Logs = {}): HookResult {
    return this.hooks.onTrainEnd?.(logs);
  }
  /** Runs `hooks.onEpochBegin`, if given. */
  override onEpochBegin(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  /** Runs `hooks.onEpochEnd`, if given. */
  override onEpochEnd(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  /** Runs `hooks.onBatchBegin`, if given. */
  override onBatchBegin(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onBatchBegin?.(batch, logs);
  }
  /** Runs `hooks.onBatchEnd`, if given. */
  override onBatchEnd(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}
