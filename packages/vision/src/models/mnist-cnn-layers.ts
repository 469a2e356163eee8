// The layers of the demo's CNN, apart from its pretrained weights (which import them).
import { nn } from '@proj/core';

/** Features per image out of `mnistCnnFeatures`: 16 channels of 7 x 7. */
export const MNIST_CNN_FEATURES = 16 * 7 * 7;

/** The feature stack, in the order (and so with the seeded initialisation) of `pnpm demo`. */
export function featureLayers(): nn.Module[] {
  return [
    new nn.Conv2d(1, 8, 3, { padding: 1 }), // 8 x 28 x 28
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 8 x 14 x 14
    new nn.Conv2d(8, 16, 3, { padding: 1 }), // 16 x 14 x 14
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 16 x 7 x 7
    new nn.Flatten(),
  ];
}

/** The classifier after {@link featureLayers}: 784 → 64 → 10. */
export function headLayers(): nn.Module[] {
  return [new nn.Linear(MNIST_CNN_FEATURES, 64), new nn.ReLU(), new nn.Linear(64, 10)];
}
