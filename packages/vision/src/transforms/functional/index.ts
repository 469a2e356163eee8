/**
 * torchvision.transforms.functional: the transforms as plain functions of an image and their
 * parameters (an Image or a tensor image [..., C, H, W] in, the same kind out).
 *
 * @module
 */
export {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  rgbToGrayscale,
} from './color.js';
export { convertImageDtype, pilToTensor, toPilImage, toTensor } from './convert.js';
export { centerCrop, crop } from './crop.js';
export { hflip, vflip } from './flip.js';
export { normalize } from './normalize.js';
export type { PaddingMode } from './pad.js';
export { pad } from './pad.js';
export type { InterpolationMode, ResizeOptions } from './resize.js';
export { resize } from './resize.js';
export type { RotateInterpolation, RotateOptions } from './rotate.js';
export { rotate } from './rotate.js';
