// nn.functional: convolution, pooling, normalisation, padding and resampling.

export type { Conv1dOptions, Conv2dOptions, ConvPadding } from './conv.js';
export { conv1d, conv2d } from './conv.js';
export type { Pair } from './conv-args.js';
export type { ConvTranspose2dOptions } from './conv-transpose.js';
export { convTranspose2d } from './conv-transpose.js';
export type { InterpolateMode, InterpolateOptions } from './interpolate.js';
export { interpolate } from './interpolate.js';
export { batchNorm, layerNorm } from './norm.js';
export type { PadMode } from './pad.js';
export { pad } from './pad.js';
export type { AvgPool2dOptions, MaxPool2dOptions } from './pool.js';
export { avgPool2d, maxPool2d, maxPool2dWithIndices } from './pool.js';
export type { AdaptiveSize } from './pool-adaptive.js';
export { adaptiveAvgPool2d } from './pool-adaptive.js';
