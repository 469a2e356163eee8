// fit/evaluate/trainOnBatch take a loss, an optimizer and metrics as objects or by Keras's
// names; this resolves each to what the loops call.
import { BCEWithLogitsLoss } from '../nn/losses/binary.js';
import { Module } from '../nn/module.js';
import { Optimizer } from '../optim/optimizer.js';
import { Tensor } from '../tensor/tensor.js';
import {
  alignTarget,
  isElementwiseLoss,
  isKerasLoss,
  KERAS_LOSSES,
  type KerasLossName,
  kerasLoss,
} from './keras-losses.js';
import {
  isKerasOptimizer,
  KERAS_OPTIMIZERS,
  type KerasOptimizerName,
  optimizerFor,
} from './keras-optimizers.js';
import { type MetricFn, type MetricSpec, resolveMetric } from './metrics/registry.js';

/**
 * A loss: a loss module (`new nn.MSELoss()`), a function of predictions and targets, or a
 * Keras name (`'sparse_categorical_crossentropy'`, `'mse'`, … see {@link kerasLoss}).
 */
export type LossSpec = Module | ((pred: Tensor, target: Tensor) => Tensor) | KerasLossName;

/** An optimizer, or a Keras name (`'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'`, `'adamw'`). */
export type OptimizerSpec = Optimizer<any> | KerasOptimizerName;

/** @internal A resolved loss: called with predictions and targets, returns the loss tensor. */
export type LossFn = (pred: Tensor, target: Tensor) => Tensor;

/**
 * @internal Resolves a loss spec. Loss modules that compare element by element (MSELoss,
 * L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss) get Keras's alignment of a
 * target `[N]` against predictions `[N, 1]`, as fit accepts it in Keras.
 */
export function resolveLoss(op: string, spec: LossSpec): LossFn {
  let fn: LossFn;
  if (isKerasLoss(spec)) {
    fn = kerasLoss(spec);
  } else if (spec instanceof Module) {
    const aligned = isElementwiseLoss(spec);
    fn = (p, t) => spec.forward(p, aligned ? alignTarget(p, t) : t);
  } else if (typeof spec === 'function') {
    fn = spec;
  } else {
    throw new Error(
      `${op}: loss must be a loss module, a function (pred, target) => Tensor, or one of Keras's names: ${KERAS_LOSSES.join(', ')}` +
        (typeof spec === 'string' ? ` (got '${spec}')` : ''),
    );
  }
  return (p, t) => {
    const out = fn(p, t);
    if (!(out instanceof Tensor)) throw new Error(`${op}: the loss must return a Tensor`);
    return out;
  };
}

/** @internal Resolves an optimizer spec; a name gets the model's Keras optimizer (kept across calls). */
export function resolveOptimizer(op: string, model: Module, spec: OptimizerSpec): Optimizer<any> {
  if (spec instanceof Optimizer) return spec;
  if (isKerasOptimizer(spec)) return optimizerFor(model, spec);
  throw new Error(
    `${op}: optimizer must be an optim.Optimizer or one of Keras's names: ${KERAS_OPTIMIZERS.join(', ')}` +
      (typeof spec === 'string' ? ` (got '${spec}')` : ''),
  );
}

/**
 * @internal Resolves metric specs. As Keras picks its accuracy from the loss, 'accuracy'
 * reads binary predictions as probabilities with 'binary_crossentropy' and as logits with
 * BCEWithLogitsLoss.
 */
export function resolveMetrics(
  specs: readonly MetricSpec[] | undefined,
  loss: LossSpec | undefined,
): { name: string; fn: MetricFn }[] {
  const binaryLogits =
    loss === 'binary_crossentropy' ? false : loss instanceof BCEWithLogitsLoss ? true : undefined;
  return (specs ?? []).map((s) => resolveMetric(s, binaryLogits));
}
