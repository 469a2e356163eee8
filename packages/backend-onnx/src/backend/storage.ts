import { type DataArray, type DType, type Shape, type TypedArray, toDataArray } from '@proj/core';
import { loadNative, type OrtTensor } from '../runtime/native-session.js';

/** The storage handle: an ORT tensor whose data lives in CPU memory. */
export type Handle = OrtTensor;

/**
 * Copies `values` into a new array of `dtype` as a cast does (bool stores `v != 0` as 1/0;
 * int64 is a BigInt64Array; a value that does not fit an integer dtype is an error).
 */
export function convert(values: DataArray, dtype: DType): DataArray {
  return toDataArray('cast', values, dtype);
}

/** Wraps `data` (not copied) as an ORT tensor of `dtype` and `shape` (int64 data is a BigInt64Array). */
export function ortTensor(data: DataArray, shape: Shape, dtype: DType): Handle {
  const { Tensor } = loadNative();
  return new Tensor(dtype, data, [...shape]);
}

/** The handle's data as a core TypedArray (a view, not a copy; a BigInt64Array for int64). */
export function dataOf(h: Handle): TypedArray {
  return h.data as unknown as TypedArray;
}

/** `h` seen with `shape` (same data, no copy): core's shape is the truth, dims may differ. */
export function view(h: Handle, shape: Shape, dtype: DType): Handle {
  const dims = h.dims;
  if (dims.length === shape.length && dims.every((d, i) => d === shape[i])) return h;
  return ortTensor(dataOf(h), shape, dtype);
}

/** Bytes a handle holds on the host (0 for a deferred result not computed yet). */
export function bytesOf(h: Handle): number {
  return (h.data as ArrayBufferView | undefined)?.byteLength ?? 0;
}
