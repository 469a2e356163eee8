// Storage handles as onnxruntime-node tensors (what the 'onnx' backend runs on).
import type { DataArray, DType, Shape } from '@proj/core';
import { loadNative } from '../runtime/native-session.js';
import { dataOf, type Handle } from './storage.js';

/** Wraps `data` (not copied) as an ORT tensor of `dtype` and `shape` (int64 data is a BigInt64Array). */
export function ortTensor(data: DataArray, shape: Shape, dtype: DType): Handle {
  const { Tensor } = loadNative();
  return new Tensor(dtype, data, [...shape]);
}

/** `h` seen with `shape` (same data, no copy): core's shape is the truth, dims may differ. */
export function view(h: Handle, shape: Shape, dtype: DType): Handle {
  const dims = h.dims;
  if (dims.length === shape.length && dims.every((d, i) => d === shape[i])) return h;
  return ortTensor(dataOf(h), shape, dtype);
}
