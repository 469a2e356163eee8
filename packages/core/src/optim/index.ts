// The optim namespace: optimizers (one per file), regularisation penalties and, under
// optim.lrScheduler, the learning-rate schedules.

export type { AdagradDefaults, AdagradOptions } from './adagrad.js';
export { Adagrad } from './adagrad.js';
export type { AdamDefaults, AdamOptions } from './adam.js';
export { Adam } from './adam.js';
export { AdamW } from './adamw.js';
export * as lrScheduler from './lr-scheduler/index.js';
export type {
  OptimizerStateDict,
  ParamGroup,
  ParamGroupBase,
  ParamGroupSpec,
  ParamState,
  Params,
  StateValue,
} from './optimizer.js';
export { Optimizer } from './optimizer.js';
export { l1Penalty, l2Penalty } from './regularization.js';
export type { RMSpropDefaults, RMSpropOptions } from './rmsprop.js';
export { RMSprop } from './rmsprop.js';
export type { SGDDefaults, SGDOptions } from './sgd.js';
export { SGD } from './sgd.js';
