import type { Tensor } from '../../tensor/tensor.js';
import { accuracy, topKAccuracy } from './classification.js';
import { f1, precision, recall } from './confusion.js';
import { mae, mse, r2, rmse } from './regression.js';

/** A metric fit can track: predictions and targets of a batch or an epoch to a number. */
export type MetricFn = (pred: Tensor, target: Tensor) => number;

/**
 * A metric as `fit` takes it (Keras's `metrics=[...]` entries): a built-in name, a function
 * (logged under its `name`) or a named function.
 */
export type MetricSpec =
  | MetricName
  | MetricFn
  | {
      /** The log key (`val_<name>` for validation). */
      name: string;
      /** Computes the metric from predictions and targets. */
      fn: MetricFn;
    };

/**
 * The names `fit`'s `metrics` option understands: Keras's (`'accuracy'`, `'acc'`,
 * `'binary_accuracy'` on probabilities, `'categorical_accuracy'`, `'sparse_categorical_accuracy'`,
 * `'mae'`, `'mse'`, `'mean_absolute_error'`, `'mean_squared_error'`) and ours (`'topKAccuracy'`
 * with k = 5, `'precision'`, `'recall'`, `'f1'`, `'rmse'`, `'r2'`).
 */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'binary_accuracy'
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'topKAccuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'mae'
  | 'mse'
  | 'mean_absolute_error'
  | 'mean_squared_error'
  | 'rmse'
  | 'r2';

// Written out above rather than `keyof typeof BUILTIN`, so the docs list the names;
// `satisfies` keeps the two in step (a missing or an extra key is a type error).
const BUILTIN = {
  accuracy,
  acc: accuracy,
  // Keras's explicit variants: binary_accuracy reads probabilities (threshold 0.5), the others
  // compare the argmax of the predictions with the label (or the target row's argmax).
  binary_accuracy: (p: Tensor, t: Tensor) => accuracy(p, t, { logits: false }),
  categorical_accuracy: accuracy,
  sparse_categorical_accuracy: accuracy,
  topKAccuracy: (p: Tensor, t: Tensor) => topKAccuracy(p, t, 5),
  precision,
  recall,
  f1,
  mae,
  mse,
  mean_absolute_error: mae,
  mean_squared_error: mse,
  rmse,
  r2,
} satisfies Record<MetricName, MetricFn>;

/**
 * Resolves a {@link MetricSpec} to the log key and the function (what Keras's `compile` does
 * with `metrics`). `binaryLogits` tells how
 * `'accuracy'`/`'acc'` read binary predictions, as Keras picks its accuracy from the loss:
 * false for probabilities (loss 'binary_crossentropy'), true for logits (BCEWithLogitsLoss);
 * left out, the accuracy metric guesses from the values.
 *
 * @returns `{ name, fn }`: the log key and the function.
 * @throws Error for an unknown name (listing the known ones), a function without a name, or
 *   anything else.
 */
export function resolveMetric(
  spec: MetricSpec,
  binaryLogits?: boolean,
): {
  /** The log key. */
  name: string;
  /** The metric function. */
  fn: MetricFn;
} {
  if (typeof spec === 'string') {
    let fn = (BUILTIN as Record<string, MetricFn>)[spec];
    if (fn === undefined || !Object.hasOwn(BUILTIN, spec)) {
      throw new Error(`fit: unknown metric '${spec}'; known metrics: ${Object.keys(BUILTIN).join(', ')}`);
    }
    if (fn === accuracy && binaryLogits !== undefined)
      fn = (p, t) => accuracy(p, t, { logits: binaryLogits });
    return { name: spec, fn };
  }
  if (typeof spec === 'function') {
    if (!spec.name) throw new Error('fit: a metric function needs a name; pass { name, fn } instead');
    return { name: spec.name, fn: spec };
  }
  if (spec && typeof spec.fn === 'function' && typeof spec.name === 'string') return spec;
  throw new Error('fit: a metric must be a name, a function or { name, fn }');
}
