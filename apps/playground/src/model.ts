// The model: @proj/vision's `models.mnistCnn`, the demo CNN of `pnpm demo` (conv3x3 8 → pool →
// conv3x3 16 → pool → 64 → 10, 52,138 parameters), fresh or with the weights that demo trained.

import type { nn } from '@proj/core';
import { models } from '@proj/vision';

/**
 * A fresh CNN (PyTorch's initialisation from the global seed) or, with `pretrained`, the one
 * `pnpm demo` trained on 55,000 MNIST images; created on the current backend. Both take images
 * normalised with MNIST's mean and std (dataset.ts).
 */
export function mnistCnn(pretrained = false): nn.Sequential {
  return models.mnistCnn({ pretrained });
}
