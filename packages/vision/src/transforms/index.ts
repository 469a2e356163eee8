/**
 * torchvision.transforms: factories that return transforms (functions), as torchvision's
 * classes return callables, so `transforms.Compose([transforms.ToTensor(), …])` reads the same.
 *
 * @module
 */
export type { ColorJitterOptions, ColorJitterParams, JitterRange } from './color-jitter.js';
export { ColorJitter, colorJitterParams } from './color-jitter.js';
export type { PadOptions, RandomCropOptions } from './crop.js';
export { CenterCrop, Pad, RandomCrop, randomCropParams } from './crop.js';
export { RandomHorizontalFlip, RandomVerticalFlip } from './flip.js';
export * as functional from './functional/index.js';
export type { InterpolationMode, ResizeOptions } from './functional/resize.js';
export { Normalize } from './normalize.js';
export type { RandomOptions } from './random.js';
export { Resize } from './resize.js';
export type { RandomResizedCropOptions } from './resized-crop.js';
export { RandomResizedCrop, randomResizedCropParams } from './resized-crop.js';
export type { RandomRotationOptions } from './rotation.js';
export { RandomRotation } from './rotation.js';
export { ConvertImageDtype, PILToTensor, ToPILImage, ToTensor } from './to-tensor.js';
export type { ImageLike, Transform } from './transform.js';
export { Compose } from './transform.js';
