import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** @internal A zero tensor for a layer to initialise (dtype and device from layer options). */
export function empty(
  shape: number[],
  opts: { dtype?: 'float32' | 'float64'; device?: string } = {},
): Tensor {
  return zeros(shape, { dtype: opts.dtype ?? 'float32', device: opts.device });
}
