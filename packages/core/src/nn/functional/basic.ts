// nn.functional for the basic layers, activations and losses (owned by the nn-basic area).

export type { GeluOptions } from './activations.js';
export {
  celu,
  elu,
  gelu,
  glu,
  leakyRelu,
  logSoftmax,
  logsigmoid,
  mish,
  prelu,
  relu,
  selu,
  sigmoid,
  silu,
  softmax,
  softmin,
  softplus,
  softsign,
  step,
  tanh,
  tanhshrink,
} from './activations.js';
export {
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  relu6,
  softshrink,
  threshold,
} from './activations-piecewise.js';
export { bilinear } from './bilinear.js';
export { cosineSimilarity, normalize, pairwiseDistance } from './distance.js';
export type { DropoutVariantOptions } from './dropout-variants.js';
export {
  alphaDropout,
  dropout1d,
  dropout2d,
  dropout3d,
  featureAlphaDropout,
} from './dropout-variants.js';
export type { FoldOptions, FoldPair, UnfoldOptions } from './fold.js';
export { fold, unfold } from './fold.js';
export type { GroupNormOptions } from './group-norm.js';
export { groupNorm } from './group-norm.js';
export type { InstanceNormOptions } from './instance-norm.js';
export { instanceNorm } from './instance-norm.js';
export type { DropoutOptions, EmbeddingOptions } from './layers.js';
export { dropout, embedding, linear, oneHot } from './layers.js';
export type { LocalResponseNormOptions } from './local-response-norm.js';
export { localResponseNorm } from './local-response-norm.js';
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
export { pixelShuffle, pixelUnshuffle } from './pixel-shuffle.js';
export type { RMSNormOptions } from './rms-norm.js';
export { rmsNorm } from './rms-norm.js';
