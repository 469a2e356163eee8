import { nn } from '@proj/core';

/** Features per image out of {@link mnistCnnFeatures}: 16 channels of 7 x 7. */
export const MNIST_CNN_FEATURES = 16 * 7 * 7;

/** The small convolutional feature stack the MNIST examples share: [B,1,28,28] → [B, 784]. */
export function mnistCnnFeatures(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), // 8 x 28 x 28
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 8 x 14 x 14
    new nn.Conv2d(8, 16, 3, { padding: 1 }), // 16 x 14 x 14
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 16 x 7 x 7
    new nn.Flatten(),
  );
}
