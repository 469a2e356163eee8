// Keras's train_on_batch / test_on_batch / predict_on_batch: one step on one batch, outside fit.
import { noGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import { EvalPass, forwardTensor, saveModes } from './evaluate.js';
import type { MetricSpec } from './metrics/registry.js';
import { type LossSpec, type OptimizerSpec, resolveLoss, resolveMetrics, resolveOptimizer } from './specs.js';
import { batchLogs, trainStep } from './train-step.js';

/** Options of {@link trainOnBatch}: what Keras's `compile` holds. */
export interface TrainOnBatchOptions {
  /** A loss module, a function, or a Keras name (as fit's `loss`). */
  loss: LossSpec;
  /** An optimizer or a Keras name (as fit's; a name gives the model's kept Keras optimizer). */
  optimizer: OptimizerSpec;
  /** Metrics to report on this batch. */
  metrics?: readonly MetricSpec[];
}

/** Options of {@link testOnBatch}. */
export interface TestOnBatchOptions {
  /** The loss to report (omit to report metrics only). */
  loss?: LossSpec;
  /** Metrics to report on this batch. */
  metrics?: readonly MetricSpec[];
}

function checkBatch(op: string, model: Module, x: unknown, y: unknown): void {
  if (!(model instanceof Module)) throw new Error(`${op}: model must be an nn.Module`);
  if (!(x instanceof Tensor)) throw new Error(`${op}: x must be a Tensor (one batch)`);
  if (y !== undefined && !(y instanceof Tensor))
    throw new Error(`${op}: y must be a Tensor (the batch's targets)`);
}

/**
 * One optimization step on one batch (Keras's `train_on_batch`): in training mode, zeroGrad,
 * forward, loss, backward, `optimizer.step()`; intermediates are freed and the model's
 * training flags restored. Returns `{ loss, <metric>: … }` for this batch (Keras returns the
 * same numbers as a list unless `return_dict`). With an optimizer name, repeated calls share
 * one optimizer per model, as Keras's compiled optimizer is shared, so Adam's moments carry on.
 *
 * @throws Error when `model` is not an `nn.Module`, `x` or `y` is not a tensor, `loss` or
 *   `optimizer` is missing or an unknown name, or `model.forward` returns no tensor.
 *
 * @example
 * ```ts
 * for (const [xb, yb] of loader) train.trainOnBatch(model, xb, yb, { loss: 'mse', optimizer: 'adam' });
 * ```
 */
export function trainOnBatch(model: Module, x: Tensor, y: Tensor, opts: TrainOnBatchOptions): Logs {
  checkBatch('trainOnBatch', model, x, y);
  if (!opts || opts.loss === undefined || opts.optimizer === undefined) {
    throw new Error('trainOnBatch: options { loss, optimizer } are required');
  }
  const loss = resolveLoss('trainOnBatch', opts.loss);
  const optimizer = resolveOptimizer('trainOnBatch', model, opts.optimizer);
  const metrics = resolveMetrics(opts.metrics, opts.loss);
  const restore = saveModes(model);
  model.train();
  try {
    return tidy(() => {
      const step = trainStep('trainOnBatch', model, x, y, loss, optimizer);
      const { size: _size, ...rest } = batchLogs(step, y, metrics);
      return rest;
    });
  } finally {
    restore();
  }
}

/**
 * The loss and metrics of one batch (Keras's `test_on_batch`), in eval mode without
 * gradients; the model's training flags are restored. Returns `{ loss, <metric>: … }`.
 *
 * @throws Error when `model` is not an `nn.Module`, `x` or `y` is not a tensor, or neither a
 *   loss nor metrics are given.
 *
 * @example
 * ```ts
 * const { loss, accuracy } = train.testOnBatch(model, xb, yb, { loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'] });
 * ```
 */
export function testOnBatch(model: Module, x: Tensor, y: Tensor, opts: TestOnBatchOptions = {}): Logs {
  checkBatch('testOnBatch', model, x, y);
  if (opts.loss === undefined && !(opts.metrics && opts.metrics.length > 0)) {
    throw new Error('testOnBatch: give a loss, metrics, or both');
  }
  const loss = opts.loss === undefined ? undefined : resolveLoss('testOnBatch', opts.loss);
  const pass = new EvalPass('testOnBatch', model, loss, resolveMetrics(opts.metrics, opts.loss));
  const restore = saveModes(model);
  model.eval();
  try {
    try {
      noGrad(() => tidy(() => pass.step([x, y])));
    } catch (e) {
      pass.abort();
      throw e;
    }
    return pass.finish();
  } finally {
    restore();
  }
}

/**
 * The model's output for one batch (Keras's `predict_on_batch`), in eval mode without
 * gradients; the model's training flags are restored.
 *
 * @throws Error when `model` is not an `nn.Module`, `x` is not a tensor, or `model.forward`
 *   returns no tensor.
 */
export function predictOnBatch(model: Module, x: Tensor): Tensor {
  checkBatch('predictOnBatch', model, x, undefined);
  const restore = saveModes(model);
  model.eval();
  try {
    return noGrad(() => tidy(() => forwardTensor('predictOnBatch', model, x)));
  } finally {
    restore();
  }
}
