// nn.functional: convolution, pooling, normalisation, padding and resampling.

export type { AffineGridOptions } from './affine-grid.js';
export { affineGrid } from './affine-grid.js';
export type { Conv1dOptions, Conv2dOptions, ConvPadding } from './conv.js';
export { conv1d, conv2d } from './conv.js';
export type { Pair } from './conv-args.js';
export type { ConvTranspose1dOptions, ConvTranspose2dOptions } from './conv-transpose.js';
export { convTranspose1d, convTranspose2d } from './conv-transpose.js';
export type { Conv3dOptions, ConvTranspose3dOptions, Triple } from './conv3d.js';
export { conv3d, convTranspose3d } from './conv3d.js';
export type { GridSampleMode, GridSampleOptions, GridSamplePadding } from './grid-sample.js';
export { gridSample } from './grid-sample.js';
export type { InterpolateMode, InterpolateOptions } from './interpolate.js';
export { interpolate } from './interpolate.js';
export type { BatchNormOptions, LayerNormOptions } from './norm.js';
export { batchNorm, layerNorm } from './norm.js';
export type { PadMode } from './pad.js';
export { pad } from './pad.js';
export type { AvgPool2dOptions, MaxPool2dOptions, MaxPoolResult } from './pool.js';
export { avgPool2d, maxPool2d, maxPool2dWithIndices } from './pool.js';
export type { AdaptiveSize } from './pool-adaptive.js';
export {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool1dWithIndices,
  adaptiveMaxPool2d,
  adaptiveMaxPool2dWithIndices,
} from './pool-adaptive.js';
export type { LPPoolOptions } from './pool-lp.js';
export { lpPool1d, lpPool2d } from './pool-lp.js';
export type { AvgPool1dOptions, AvgPool3dOptions, MaxPoolNdOptions } from './pool-nd.js';
export {
  avgPool1d,
  avgPool3d,
  maxPool1d,
  maxPool1dWithIndices,
  maxPool3d,
  maxPool3dWithIndices,
} from './pool-nd.js';
export type { MaxUnpoolOptions } from './pool-unpool.js';
export { maxUnpool1d, maxUnpool2d, maxUnpool3d } from './pool-unpool.js';
export type { IntOrTuple } from './pool-windows.js';
