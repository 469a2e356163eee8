// torchvision.models: the architectures the ported examples build.
export { BasicBlock, ResNet, resnet18 } from './resnet.js';
