import { allocArray, type DType, type Shape, type TypedArray } from '@proj/core';
import { loadNative, type OrtTensor } from '../runtime/native-session.js';

/** The storage handle: an ORT tensor whose data lives in CPU memory. */
export type Handle = OrtTensor;

/** Copies `values` into a new array of `dtype` (bool stores `v != 0` as 1/0). */
export function convert(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
  return out;
}

/** Wraps `data` (not copied) as an ORT tensor of `dtype` and `shape` (int64: model inputs only). */
export function ortTensor(data: TypedArray | BigInt64Array, shape: Shape, dtype: DType | 'int64'): Handle {
  const { Tensor } = loadNative();
  return new Tensor(dtype, data, [...shape]);
}

/** The handle's data as a core TypedArray (a view, not a copy). */
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
