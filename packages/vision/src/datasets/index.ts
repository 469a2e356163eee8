/**
 * torchvision.datasets, browser-safe part: file formats parsed from bytes, dataset facts, the
 * dataset base class. The datasets that read files are in '@proj/vision/node'.
 *
 * @module
 */
export type { CifarBatch } from './cifar-format.js';
export { CIFAR_RECORD_BYTES, CIFAR10_CLASSES, parseCifarBatch } from './cifar-format.js';
export type { IdxArray } from './idx.js';
export { parseIdx } from './idx.js';
export type { MnistKind } from './mnist-constants.js';
export { FASHION_CLASSES, MNIST_CLASSES, MNIST_MEAN, MNIST_STD, NORMALISATION } from './mnist-constants.js';
export type { VisionDatasetOptions } from './vision-dataset.js';
export { VisionDataset } from './vision-dataset.js';
