import { type Tensor, type TensorOptions, tensor } from '@proj/core';
import type { Nested } from '../checks.js';

/**
 * A float32 tensor from number literals. Core infers int32 from integer literals (as
 * PyTorch infers int64), so cases that mean to exercise float kernels say so explicitly.
 */
export function f32(data: Nested<number>, opts: TensorOptions = {}): Tensor {
  return tensor(data as number[], { dtype: 'float32', ...opts });
}

/** A [2,3,2] fixture: x[i][j][k] = 6i + 2j + k + 1, i.e. 1..12 in row-major order. */
export const X3 = [
  [
    [1, 2],
    [3, 4],
    [5, 6],
  ],
  [
    [7, 8],
    [9, 10],
    [11, 12],
  ],
];
