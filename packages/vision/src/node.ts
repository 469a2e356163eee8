// A stand-in for the parts of torchvision that PyTorch's examples import, so the ports keep
// their `datasets.MNIST(...)`, `transforms.Compose([...])`, `utils.saveImage(...)` and
// `models.resnet18()` lines.
export * as datasets from './datasets.js';
export * as models from './models.js';
export * as transforms from './transforms.js';
export * as utils from './utils.js';
