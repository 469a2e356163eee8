// The train namespace: fit / evaluate / predict, Keras-style callbacks, and metrics.
export type { FitContext, HookResult, Logs } from './callback.js';
export { Callback } from './callback.js';
export * from './callbacks/index.js';
export type { DataSource } from './data-source.js';
export type { EvaluateOptions, LossSpec } from './evaluate.js';
export { evaluate, predict } from './evaluate.js';
export type { FitOptions } from './fit.js';
export { fit } from './fit.js';
export { formatFixed, formatTemplate } from './format.js';
export { History } from './history.js';
export * as metrics from './metrics/index.js';
export * from './metrics/index.js';
