// nn.functional for the basic layers, activations and losses (owned by the nn-basic area).

export type { GeluOptions } from './activations.js';
export {
  elu,
  gelu,
  leakyRelu,
  logSoftmax,
  mish,
  relu,
  sigmoid,
  silu,
  softmax,
  softplus,
  step,
  tanh,
} from './activations.js';
export type { DropoutOptions, EmbeddingOptions } from './layers.js';
export { dropout, embedding, linear, oneHot } from './layers.js';
export type {
  BCEOptions,
  BCEWithLogitsOptions,
  CrossEntropyOptions,
  HuberOptions,
  KLDivOptions,
  LossOptions,
  NLLOptions,
  Reduction,
  SmoothL1Options,
} from './losses.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  klDiv,
  l1Loss,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from './losses.js';
