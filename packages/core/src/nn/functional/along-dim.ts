// Applies a small [out, size] matrix along one dim of a tensor: the separable resampling step
// of adaptive average pooling and of the linear and cubic interpolation modes. A matmul, so
// its gradients (also second ones) and every backend come from matmul.

import { matmul } from '../../ops/matmul.js';
import { transpose } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** `m` [out, size] applied along `dim` of `y` (size → out there); a matmul from the left, or the right for the last dim. */
export function alongDim(y: Tensor, dim: number, m: Tensor): Tensor {
  const last = y.ndim - 1;
  if (dim === last) return matmul(y, transpose(m, 0, 1));
  if (dim === last - 1) return matmul(m, y);
  return transpose(matmul(m, transpose(y, dim, last - 1)), dim, last - 1);
}
