// The basic nn area: Module, Parameter, containers, dense layers, activations, losses, init, utils.

export { Identity, ModuleDict, ModuleList, Sequential } from './containers.js';
export * as init from './init.js';
export type {
  CELUOptions,
  ELUOptions,
  InplaceOptions,
  LeakyReLUOptions,
  PReLUOptions,
  SoftmaxOptions,
  SoftplusOptions,
} from './layers/activations.js';
export {
  CELU,
  ELU,
  GELU,
  GLU,
  implicitSoftmaxDim,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  Mish,
  PReLU,
  ReLU,
  SELU,
  Sigmoid,
  SiLU,
  Softmax,
  Softmax2d,
  Softmin,
  Softplus,
  Softsign,
  Step,
  Tanh,
  Tanhshrink,
} from './layers/activations.js';
export type { HardtanhOptions, ThresholdOptions } from './layers/activations-piecewise.js';
export {
  Hardshrink,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  ReLU6,
  Softshrink,
  Threshold,
} from './layers/activations-piecewise.js';
export { BatchNorm3d } from './layers/batch-norm3d.js';
export type { BilinearOptions } from './layers/bilinear.js';
export { Bilinear } from './layers/bilinear.js';
export { CosineSimilarity, PairwiseDistance } from './layers/distance.js';
export type { DropoutLayerOptions } from './layers/dropout.js';
export { Dropout } from './layers/dropout.js';
export {
  AlphaDropout,
  Dropout1d,
  Dropout2d,
  Dropout3d,
  FeatureAlphaDropout,
} from './layers/dropout-variants.js';
export type { EmbeddingFromPretrainedOptions, EmbeddingLayerOptions } from './layers/embedding.js';
export { Embedding } from './layers/embedding.js';
export type { FlattenOptions, UnflattenOptions } from './layers/flatten.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export { Fold, Unfold } from './layers/fold.js';
export type { GroupNormLayerOptions } from './layers/group-norm.js';
export { GroupNorm } from './layers/group-norm.js';
export type { InstanceNormLayerOptions } from './layers/instance-norm.js';
export { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './layers/instance-norm.js';
export type { LinearOptions } from './layers/linear.js';
export { Linear } from './layers/linear.js';
export { LocalResponseNorm } from './layers/local-response-norm.js';
export type { Padding } from './layers/padding.js';
export {
  ConstantPad1d,
  ConstantPad2d,
  ConstantPad3d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReflectionPad3d,
  ReplicationPad1d,
  ReplicationPad2d,
  ReplicationPad3d,
  ZeroPad1d,
  ZeroPad2d,
  ZeroPad3d,
} from './layers/padding.js';
export { PixelShuffle, PixelUnshuffle } from './layers/pixel-shuffle.js';
export type { RMSNormLayerOptions } from './layers/rms-norm.js';
export { RMSNorm } from './layers/rms-norm.js';
export { BCELoss, BCEWithLogitsLoss } from './losses/binary.js';
export { CrossEntropyLoss, KLDivLoss, NLLLoss } from './losses/classification.js';
export { Loss } from './losses/loss.js';
export { HuberLoss, L1Loss, MSELoss, SmoothL1Loss } from './losses/regression.js';
export type {
  BackwardHook,
  BackwardHookResult,
  ForwardHook,
  ForwardPreHook,
  IncompatibleKeys,
  RemovableHandle,
  StateDict,
} from './module.js';
export { Module } from './module.js';
export { Parameter } from './parameter.js';
export * as utils from './utils/index.js';
