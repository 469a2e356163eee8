import { type Tensor, type TensorOptions, tensor } from '@proj/core';
import type { Nested } from '../checks.js';

/**
 * A float32 tensor from number literals. Core infers int32 from integer literals (as
 * PyTorch infers int64), so cases that mean to exercise float kernels say so explicitly.
 */
export function f32(data: Nested<number>, opts: TensorOptions = {}): Tensor {
  return tensor(data as number[], { dtype: 'float32', ...opts });
}
