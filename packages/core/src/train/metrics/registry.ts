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
  topKAccuracy: (p: Tensor, t: Tensor) => topKAccuracy(p, t, 5),
  precision,
  recall,
  f1,
  mae,
  mse,
  rmse,
  r2,
} satisfies Record<string, MetricFn>;

/** Resolves a {@link MetricSpec} to the log key and the function. */
export function resolveMetric(spec: MetricSpec): { name: string; fn: MetricFn } {
  if (typeof spec === 'string') {
    const fn = (BUILTIN as Record<string, MetricFn>)[spec];
    if (fn === undefined || !Object.hasOwn(BUILTIN, spec)) {
      throw new Error(`fit: unknown metric '${spec}'; known metrics: ${Object.keys(BUILTIN).join(', ')}`);
    }
    return { name: spec, fn };
  }
  if (typeof spec === 'function') {
    if (!spec.name) throw new Error('fit: a metric function needs a name; pass { name, fn } instead');
    return { name: spec.name, fn: spec };
  }
  if (spec && typeof spec.fn === 'function' && typeof spec.name === 'string') return spec;
  throw new Error('fit: a metric must be a name, a function or { name, fn }');
}
