// The basic nn area: Module, Parameter, containers, dense layers, activations, losses, init, utils.
export { Module } from './module.js';
export type { ForwardHook, IncompatibleKeys, RemovableHandle, StateDict } from './module.js';
export { Parameter } from './parameter.js';
export { Identity, ModuleDict, ModuleList, Sequential } from './containers.js';
export { Linear } from './layers/linear.js';
export type { LinearOptions } from './layers/linear.js';
export { Dropout } from './layers/dropout.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export { Embedding } from './layers/embedding.js';
export type { EmbeddingLayerOptions } from './layers/embedding.js';
export {
  ELU,
  GELU,
  LeakyReLU,
  LogSoftmax,
  Mish,
  ReLU,
  SiLU,
  Sigmoid,
  Softmax,
  Softplus,
  Step,
  Tanh,
} from './layers/activations.js';
export { Loss } from './losses/loss.js';
export { HuberLoss, L1Loss, MSELoss, SmoothL1Loss } from './losses/regression.js';
export { BCELoss, BCEWithLogitsLoss } from './losses/binary.js';
export { CrossEntropyLoss, KLDivLoss, NLLLoss } from './losses/classification.js';
export * as init from './init.js';
export * as utils from './utils/index.js';
