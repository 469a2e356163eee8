// A tensor of a given shape from flat data. `tensor(data).reshape(...)` would leave the flat
// tensor alive, holding the storage the reshaped view shares.
import { type DataArray, type Tensor, type TensorOptions, tensor, tidy } from '@proj/core';

/** A new tensor of `shape` holding `data` (flat, row-major). */
export function shaped(
  data: DataArray | number[],
  shape: readonly number[],
  opts: TensorOptions = {},
): Tensor {
  return tidy(() => tensor(data, opts).reshape(...shape));
}
