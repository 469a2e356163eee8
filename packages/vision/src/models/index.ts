/**
 * torchvision.models: architectures for small images, torchvision's resnet18, and the demo's
 * CNN with its pretrained weights.
 *
 * @module
 */
export type { CifarResNetOptions } from './cifar-resnet.js';
export { CifarResNet, resnet8, resnet20 } from './cifar-resnet.js';
export type { LeNet5Options } from './lenet.js';
export { LeNet5, lenet5 } from './lenet.js';
export type { MnistCnnOptions } from './mnist-cnn.js';
export { MNIST_CNN_FEATURES, mnistCnn, mnistCnnFeatures, mnistCnnWeights } from './mnist-cnn.js';
export type { EmbeddedWeights } from './pretrained.js';
export { BasicBlock, ResNet, resnet18 } from './resnet.js';
export type { SmallVggOptions, VggConfig, VggOptions } from './vgg.js';
export { makeLayers, VGG, VGG_SMALL, vgg } from './vgg.js';
