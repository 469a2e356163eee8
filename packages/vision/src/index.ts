// @proj/vision: the torchvision of @proj. This entry is browser-safe (no file system): the
// datasets that read files and utils.saveImage are in '@proj/vision/node', which also
// re-exports everything here.
export * as datasets from './datasets/index.js';
export type { ImageMode } from './image.js';
export { Image } from './image.js';
export * as models from './models/index.js';
export * as transforms from './transforms/index.js';
export * as utils from './utils/index.js';
