// The small CNN of `pnpm demo` (apps/examples/src/demo.ts), with the weights that run trained.
import { nn, type Tensor } from '@proj/core';
import { MNIST_MEAN, MNIST_STD } from '../datasets/mnist-constants.js';
import type { Image } from '../image.js';
import { Normalize } from '../transforms/normalize.js';
import { ToTensor } from '../transforms/to-tensor.js';
import { Compose, type Transform } from '../transforms/transform.js';
import { featureLayers, headLayers } from './mnist-cnn-layers.js';
import { loadEmbeddedWeights } from './pretrained.js';
import { MNIST_CNN_WEIGHTS } from './weights/mnist-cnn.js';

export { MNIST_CNN_FEATURES } from './mnist-cnn-layers.js';

/** Options of {@link mnistCnn} and {@link mnistCnnFeatures}. */
export interface MnistCnnOptions {
  /**
   * Load the weights `pnpm demo` trained on the 55,000 MNIST training images (default false).
   * The model then expects images normalised as {@link mnistCnnWeights}`.transforms()` does.
   */
  pretrained?: boolean;
}

/**
 * The convolutional feature stack of {@link mnistCnn}: [B, 1, 28, 28] → [B, 784]
 * (`MNIST_CNN_FEATURES`). Its state-dict keys (`0.weight`, `3.bias`, …) are those of
 * the first seven entries of `mnistCnn`, so `{ pretrained: true }` loads the trained
 * convolutions for transfer learning.
 *
 * ```ts
 * const features = models.mnistCnnFeatures({ pretrained: true }).requiresGrad_(false);
 * const model = new nn.Sequential(features, new nn.Linear(models.MNIST_CNN_FEATURES, 10));
 * ```
 */
export function mnistCnnFeatures(opts: MnistCnnOptions = {}): nn.Sequential {
  const m = new nn.Sequential(...featureLayers());
  if (opts.pretrained) {
    loadEmbeddedWeights('mnistCnnFeatures', m, MNIST_CNN_WEIGHTS, {
      keep: (k) => Number(k.split('.')[0]) < 7,
    });
  }
  return m;
}

/**
 * The CNN `pnpm demo` trains on MNIST (two 3x3 convolutions of 8 and 16 channels, each
 * followed by ReLU and 2x2 max pooling, then 784 → 64 → 10): [B, 1, 28, 28] → logits [B, 10].
 * 52,138 parameters. With `{ pretrained: true }` it carries the weights of the demo's default
 * run (see {@link mnistCnnWeights} for the command and the test accuracy).
 *
 * The PyTorch module with the same state-dict keys, to move weights either way:
 * ```python
 * nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
 *               nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
 *               nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
 * ```
 *
 * ```ts
 * const model = models.mnistCnn({ pretrained: true }).eval();
 * const x = models.mnistCnnWeights.transforms()(image); // [1, 28, 28], normalised
 * const digit = model.forward(x.unsqueeze(0)).argmax(1).item();
 * ```
 */
export function mnistCnn(opts: MnistCnnOptions = {}): nn.Sequential {
  const m = new nn.Sequential(...featureLayers(), ...headLayers());
  if (opts.pretrained) loadEmbeddedWeights('mnistCnn', m, MNIST_CNN_WEIGHTS);
  return m;
}

/**
 * About the weights of `mnistCnn({ pretrained: true })` (torchvision's `Weights` enums):
 * where they come from and the inference transform they expect.
 */
export const mnistCnnWeights = {
  /** Test accuracy when embedded, the command that trained them, the SHA-256 of the safetensors bytes. */
  meta: {
    /** Accuracy on the MNIST test split when the weights were embedded, in [0, 1] (0.9885). */
    testAccuracy: MNIST_CNN_WEIGHTS.testAccuracy,
    /** How many test images `testAccuracy` counts (10,000). */
    testImages: MNIST_CNN_WEIGHTS.testImages,
    /** The `pnpm demo` run that trained them (epochs, batch size, optimizer, seed). */
    trainedWith: MNIST_CNN_WEIGHTS.trainedWith,
    /** SHA-256 of the embedded safetensors bytes (hex), to tell which training run they come from. */
    sha256: MNIST_CNN_WEIGHTS.sha256,
  },
  /** The preprocessing of training: `Compose([ToTensor(), Normalize([0.1307], [0.3081])])` of a 28x28 'L' image. */
  transforms(): Transform<Image, Tensor> {
    return Compose([ToTensor(), Normalize([MNIST_MEAN], [MNIST_STD])]);
  },
} as const;
