import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../functional/layers.js';
import { Module } from '../module.js';

/**
 * During training, zeroes each element with probability `p` and scales the others by
 * 1/(1-p); the identity in eval mode. Masks come from the seeded core generator.
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability has to be between 0 and 1, but got ${p}`);
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, { training: this.training });
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}
