// The basic nn area: Module, Parameter, containers, dense layers, activations, losses, init, utils.

export { Identity, ModuleDict, ModuleList, Sequential } from './containers.js';
export * as init from './init.js';
export type {
  ELUOptions,
  InplaceOptions,
  LeakyReLUOptions,
  SoftmaxOptions,
  SoftplusOptions,
} from './layers/activations.js';
export {
  ELU,
  GELU,
  implicitSoftmaxDim,
  LeakyReLU,
  LogSoftmax,
  Mish,
  ReLU,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Step,
  Tanh,
} from './layers/activations.js';
export type { DropoutLayerOptions } from './layers/dropout.js';
export { Dropout } from './layers/dropout.js';
export type { EmbeddingLayerOptions } from './layers/embedding.js';
export { Embedding } from './layers/embedding.js';
export type { FlattenOptions, UnflattenOptions } from './layers/flatten.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export type { LinearOptions } from './layers/linear.js';
export { Linear } from './layers/linear.js';
export { BCELoss, BCEWithLogitsLoss } from './losses/binary.js';
export { CrossEntropyLoss, KLDivLoss, NLLLoss } from './losses/classification.js';
export { Loss } from './losses/loss.js';
export { HuberLoss, L1Loss, MSELoss, SmoothL1Loss } from './losses/regression.js';
export type { ForwardHook, IncompatibleKeys, RemovableHandle, StateDict } from './module.js';
export { Module } from './module.js';
export { Parameter } from './parameter.js';
export * as utils from './utils/index.js';
