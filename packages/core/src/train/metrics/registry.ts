import type { Tensor } from '../../tensor/tensor.js';
import { accuracy, topKAccuracy } from './classification.js';
import { f1, precision, recall } from './confusion.js';
import { mae, mse, r2, rmse } from './regression.js';

/** A metric fit can track: predictions and targets of a batch or an epoch to a number. */
export type MetricFn = (pred: Tensor, target: Tensor) => number;

/** A metric as `fit` takes it: a built-in name, a function (logged under its `name`) or a named function. */
export type MetricSpec = MetricName | MetricFn | { name: string; fn: MetricFn };

/** The names `fit`'s `metrics` option understands. */
export type MetricName = keyof typeof BUILTIN;

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
} satisfies Record<string, MetricFn>;

/**
 * Resolves a {@link MetricSpec} to the log key and the function. `binaryLogits` tells how
 * `'accuracy'`/`'acc'` read binary predictions, as Keras picks its accuracy from the loss:
 * false for probabilities (loss 'binary_crossentropy'), true for logits (BCEWithLogitsLoss);
 * left out, the accuracy metric guesses from the values.
 */
export function resolveMetric(spec: MetricSpec, binaryLogits?: boolean): { name: string; fn: MetricFn } {
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
