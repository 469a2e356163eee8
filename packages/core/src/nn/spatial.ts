// nn layers over images and sequences of features: convolution, pooling, normalisation, resampling.

export type {
  Conv1dLayerOptions,
  Conv2dLayerOptions,
  ConvTranspose2dLayerOptions,
  PaddingMode,
} from './layers/conv.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './layers/conv.js';
export type { ConvTransposeNdLayerOptions } from './layers/conv-transpose.js';
export { ConvTranspose1d, ConvTranspose3d } from './layers/conv-transpose.js';
export type { Conv3dLayerOptions } from './layers/conv3d.js';
export { Conv3d } from './layers/conv3d.js';
export type { BatchNormOptions, LayerNormOptions } from './layers/norm.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm } from './layers/norm.js';
export type {
  AvgPool2dLayerOptions,
  MaxPool2dLayerOptions,
  MaxPoolLayerOptions,
  MaxPoolLayerRest,
} from './layers/pool.js';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pool.js';
export { AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d } from './layers/pool-adaptive.js';
export type { LPPoolLayerOptions } from './layers/pool-lp.js';
export { LPPool1d, LPPool2d } from './layers/pool-lp.js';
export type { AvgPool1dLayerOptions, AvgPool3dLayerOptions } from './layers/pool-nd.js';
export { AvgPool1d, AvgPool3d, MaxPool1d, MaxPool3d } from './layers/pool-nd.js';
export type { MaxUnpoolLayerOptions } from './layers/pool-unpool.js';
export { MaxUnpool1d, MaxUnpool2d, MaxUnpool3d } from './layers/pool-unpool.js';
export type { UpsampleOptions } from './layers/upsample.js';
export { Upsample } from './layers/upsample.js';
