// The optim namespace: optimizers (one per file), regularisation penalties and, under
// optim.lrScheduler, the learning-rate schedules.

export type { ImplementationKnobs } from '../signature/optim-signature.js';
export type { AdadeltaDefaults, AdadeltaOptions } from './adadelta.js';
export { Adadelta } from './adadelta.js';
export type { AdagradDefaults, AdagradOptions } from './adagrad.js';
export { Adagrad } from './adagrad.js';
export type { AdamDefaults, AdamOptions } from './adam.js';
export { Adam } from './adam.js';
export type { AdamaxDefaults, AdamaxOptions } from './adamax.js';
export { Adamax } from './adamax.js';
export { AdamW } from './adamw.js';
export type { ASGDDefaults, ASGDOptions } from './asgd.js';
export { ASGD } from './asgd.js';
export type { LBFGSDefaults, LBFGSOptions } from './lbfgs.js';
export { LBFGS } from './lbfgs.js';
export * as lrScheduler from './lr-scheduler/index.js';
export type { NAdamDefaults, NAdamOptions } from './nadam.js';
export { NAdam } from './nadam.js';
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
export type { RAdamDefaults, RAdamOptions } from './radam.js';
export { RAdam } from './radam.js';
export { l1Penalty, l2Penalty } from './regularization.js';
export type { RMSpropDefaults, RMSpropOptions } from './rmsprop.js';
export { RMSprop } from './rmsprop.js';
export type { RpropDefaults, RpropOptions } from './rprop.js';
export { Rprop } from './rprop.js';
export type { SGDDefaults, SGDOptions } from './sgd.js';
export { SGD } from './sgd.js';
