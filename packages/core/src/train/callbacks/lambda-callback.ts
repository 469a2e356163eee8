import { Callback, type HookResult, type Logs } from '../callback.js';

/** The hooks a {@link LambdaCallback} may run; each is optional. */
export interface LambdaHooks {
  onTrainBegin?: (logs: Logs) => HookResult;
  onTrainEnd?: (logs: Logs) => HookResult;
  onEpochBegin?: (epoch: number, logs: Logs) => HookResult;
  onEpochEnd?: (epoch: number, logs: Logs) => HookResult;
  onBatchBegin?: (batch: number, logs: Logs) => HookResult;
  onBatchEnd?: (batch: number, logs: Logs) => HookResult;
}

/**
 * A callback from plain functions (Keras' `LambdaCallback`).
 *
 * ```ts
 * new train.LambdaCallback({ onEpochEnd: (epoch, logs) => chart.push(logs.loss) })
 * ```
 */
export class LambdaCallback extends Callback {
  private readonly hooks: LambdaHooks;

  constructor(hooks: LambdaHooks) {
    super();
    this.hooks = { ...hooks };
  }

  override onTrainBegin(logs: Logs = {}): HookResult {
    return this.hooks.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs: Logs = {}): HookResult {
    return this.hooks.onTrainEnd?.(logs);
  }
  override onEpochBegin(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  override onBatchBegin(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onBatchBegin?.(batch, logs);
  }
  override onBatchEnd(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}
