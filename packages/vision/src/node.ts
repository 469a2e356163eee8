// @proj/vision/node: the whole package for Node. Everything of the browser-safe main entry,
// plus what reads and writes files: the MNIST, Fashion-MNIST, CIFAR-10 and ImageFolder
// datasets, utils.saveImage, and image file decoding (io).
export * as datasets from './datasets/node.js';
export type { ImageMode } from './image.js';
export { Image } from './image.js';
export * as io from './io/index.js';
export * as models from './models/index.js';
export * as transforms from './transforms/index.js';
export * as utils from './utils/node.js';
