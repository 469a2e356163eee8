// Keras's loss names for fit/evaluate/trainOnBatch, computed as Keras 3 computes them (its
// PyTorch backend, keras/src/backend/torch/nn.py and keras/src/losses/losses.py), and the
// rank alignment Keras applies between targets and predictions.
import { binaryCrossEntropy, l1Loss, mseLoss, nllLoss } from '../nn/functional/losses.js';
import { BCELoss, BCEWithLogitsLoss } from '../nn/losses/binary.js';
import { HuberLoss, L1Loss, MSELoss, SmoothL1Loss } from '../nn/losses/regression.js';
import type { Module } from '../nn/module.js';
import { checkOnDevice } from '../ops/device-check.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Keras's `backend.epsilon()`: the clip of probabilities before their log. */
const EPSILON = 1e-7;

/** The loss names fit, evaluate and trainOnBatch accept (Keras's strings). */
export const KERAS_LOSSES = [
  'sparse_categorical_crossentropy',
  'categorical_crossentropy',
  'binary_crossentropy',
  'mse',
  'mean_squared_error',
  'mae',
  'mean_absolute_error',
] as const;

/** One of {@link KERAS_LOSSES}. */
export type KerasLossName = (typeof KERAS_LOSSES)[number];

/** @internal True for a Keras loss name. */
export function isKerasLoss(v: unknown): v is KerasLossName {
  return typeof v === 'string' && (KERAS_LOSSES as readonly string[]).includes(v);
}

/** Keras's `squeeze_or_expand_to_same_rank(y_true, y_pred)` for a target `[N]` against `[N, 1]` (and back). */
export function alignTarget(pred: Tensor, target: Tensor): Tensor {
  if (target.ndim + 1 === pred.ndim && pred.shape[pred.ndim - 1] === 1) return target.unsqueeze(-1);
  if (pred.ndim + 1 === target.ndim && target.shape[target.ndim - 1] === 1) return target.squeeze(-1);
  return target;
}

/**
 * @internal Loss modules that compare predictions and targets element by element, whose
 * targets fit aligns as Keras does (a target `[N]` against predictions `[N, 1]`).
 */
export function isElementwiseLoss(loss: Module): boolean {
  return [MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss].some(
    (c) => loss instanceof c,
  );
}

/** The target in the predictions' floating dtype (Keras casts `y_true` to `y_pred`'s dtype). */
function asPredDtype(pred: Tensor, target: Tensor): Tensor {
  return target.dtype === pred.dtype ? target : target.to(pred.dtype);
}

/** Refuses predictions outside [0, 1]: Keras's from_logits=false expects probabilities. */
function checkProbabilities(name: KerasLossName, pred: Tensor, fix: string): void {
  checkOnDevice(
    () => pred.ge(0).logicalAnd(pred.le(1)),
    () =>
      `fit: loss '${name}' is Keras's, with from_logits=false: it expects probabilities in [0, 1], but the model's outputs ${fmtShape(pred.shape)} leave that range (they look like logits). ${fix}`,
  );
}

/** Keras's probabilities: divided by their sum over the class axis, then clipped to [ε, 1 - ε]. */
function normalizedLogProbs(pred: Tensor): Tensor {
  return pred
    .div(pred.sum(-1, true))
    .clamp(EPSILON, 1 - EPSILON)
    .log();
}

function sparseCategorical(pred: Tensor, target: Tensor): Tensor {
  const name = 'sparse_categorical_crossentropy';
  let t = target;
  if (t.ndim === pred.ndim && t.shape[t.ndim - 1] === 1) t = t.squeeze(-1);
  if (pred.ndim < 1 || !shapesEqual(t.shape, pred.shape.slice(0, -1))) {
    throw new Error(
      `fit: loss '${name}': targets ${fmtShape(target.shape)} must be class indices shaped as the predictions ${fmtShape(pred.shape)} without their last (class) axis` +
        (t.ndim === pred.ndim ? "; for one-hot targets use 'categorical_crossentropy'" : ''),
    );
  }
  checkProbabilities(
    name,
    pred,
    "End the model with nn.Softmax(-1), or keep the logits and pass loss: new nn.CrossEntropyLoss() (Keras's SparseCategoricalCrossentropy(from_logits=True)).",
  );
  const C = pred.shape[pred.ndim - 1];
  const labels = t.dtype === 'int64' || t.dtype === 'int32' ? t : t.long();
  return nllLoss(normalizedLogProbs(pred).reshape([-1, C]), labels.reshape([-1]));
}

function categorical(pred: Tensor, target: Tensor): Tensor {
  const name = 'categorical_crossentropy';
  if (!shapesEqual(target.shape, pred.shape)) {
    throw new Error(
      `fit: loss '${name}': targets ${fmtShape(target.shape)} must have the predictions' shape ${fmtShape(pred.shape)} (one-hot or probability rows)` +
        (target.ndim + 1 === pred.ndim
          ? "; for class-index targets use 'sparse_categorical_crossentropy'"
          : ''),
    );
  }
  checkProbabilities(
    name,
    pred,
    "End the model with nn.Softmax(-1), or keep the logits and pass loss: new nn.CrossEntropyLoss() with probability targets (Keras's CategoricalCrossentropy(from_logits=True)).",
  );
  return asPredDtype(pred, target).mul(normalizedLogProbs(pred)).sum(-1).neg().mean();
}

function binary(pred: Tensor, target: Tensor): Tensor {
  const name = 'binary_crossentropy';
  const t = alignTarget(pred, target);
  if (!shapesEqual(t.shape, pred.shape)) {
    throw new Error(
      `fit: loss '${name}': targets ${fmtShape(target.shape)} must have the predictions' shape ${fmtShape(pred.shape)}`,
    );
  }
  checkProbabilities(
    name,
    pred,
    "End the model with nn.Sigmoid(), or keep the logits and pass loss: new nn.BCEWithLogitsLoss() (Keras's BinaryCrossentropy(from_logits=True)).",
  );
  // Keras: the mean over the last axis of binary_cross_entropy(clip(p, ε, 1 - ε), t), then
  // over the batch: the mean of every element.
  return binaryCrossEntropy(pred.clamp(EPSILON, 1 - EPSILON), asPredDtype(pred, t));
}

function regression(name: KerasLossName, f: typeof mseLoss): (pred: Tensor, target: Tensor) => Tensor {
  return (pred, target) => {
    const t = alignTarget(pred, target);
    if (!shapesEqual(t.shape, pred.shape)) {
      throw new Error(
        `fit: loss '${name}': targets ${fmtShape(target.shape)} must have the predictions' shape ${fmtShape(pred.shape)}`,
      );
    }
    // Keras: the mean over the last axis, then over the batch: the mean of every element.
    return f(pred, asPredDtype(pred, t));
  };
}

const LOSSES: Record<KerasLossName, (pred: Tensor, target: Tensor) => Tensor> = {
  sparse_categorical_crossentropy: sparseCategorical,
  categorical_crossentropy: categorical,
  binary_crossentropy: binary,
  mse: regression('mse', mseLoss),
  mean_squared_error: regression('mean_squared_error', mseLoss),
  mae: regression('mae', l1Loss),
  mean_absolute_error: regression('mean_absolute_error', l1Loss),
};

/**
 * The loss a Keras name stands for, as Keras 3 computes it with its defaults
 * (`from_logits=false`, no label smoothing, reduction `sum_over_batch_size`: the mean over
 * samples):
 * - `'sparse_categorical_crossentropy'`: predictions `[N, C]` are probabilities (the model ends
 *   in a softmax); each row is divided by its sum, clipped to [1e-7, 1 - 1e-7], and the mean
 *   of `-log p[target]` is taken. Targets are class indices `[N]` or `[N, 1]` (cast to int64).
 * - `'categorical_crossentropy'`: the same on one-hot (or probability) targets `[N, C]`:
 *   the mean over samples of `-sum(target * log p)`.
 * - `'binary_crossentropy'`: probabilities clipped to [1e-7, 1 - 1e-7], then PyTorch's
 *   binary cross-entropy, averaged over every element.
 * - `'mse'` / `'mean_squared_error'`, `'mae'` / `'mean_absolute_error'`: the mean squared or
 *   absolute difference.
 *
 * The three cross-entropies expect probabilities, as Keras's string names do: predictions
 * outside [0, 1] (logits, PyTorch's habit) are refused with an error naming the loss module
 * to use instead (`nn.CrossEntropyLoss`, `nn.BCEWithLogitsLoss`), rather than computing a
 * clipped number that trains nothing. A target `[N]` against predictions `[N, 1]` is aligned
 * as Keras aligns it; targets are cast to the predictions' dtype.
 *
 * @example
 * ```ts
 * const bce = train.kerasLoss('binary_crossentropy');
 * const loss = bce(tensor([0.9, 0.2]), tensor([1, 0])); // about 0.1643
 * ```
 */
export function kerasLoss(name: KerasLossName): (pred: Tensor, target: Tensor) => Tensor {
  return LOSSES[name];
}
