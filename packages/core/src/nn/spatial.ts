// nn layers over images and sequences of features: convolution, pooling, normalisation, resampling.

export type {
  Conv1dLayerOptions,
  Conv2dLayerOptions,
  ConvTranspose2dLayerOptions,
  PaddingMode,
} from './layers/conv.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './layers/conv.js';
export type { BatchNormOptions, LayerNormOptions } from './layers/norm.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm } from './layers/norm.js';
export type { AvgPool2dLayerOptions, MaxPool2dLayerOptions } from './layers/pool.js';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pool.js';
export type { UpsampleOptions } from './layers/upsample.js';
export { Upsample } from './layers/upsample.js';
