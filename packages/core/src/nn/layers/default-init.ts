import type { Tensor } from '../../tensor/tensor.js';
import { _calculateFanInAndFanOut, kaimingUniform_ } from '../init.js';

/**
 * PyTorch's default initialisation of Linear and the convolutions: weight
 * kaiming_uniform(a=√5), bias U(±1/√fanIn).
 */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, Math.sqrt(5));
  if (bias) {
    const [fanIn] = _calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    bias.uniform_(-bound, bound);
  }
}
