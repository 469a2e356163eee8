import { type DataArray, type DType, type TypedArray, toDataArray } from '@proj/core';
import type { OrtTensor } from '../runtime/native-session.js';

/** The storage handle: an ORT tensor whose data lives in CPU memory. */
export type Handle = OrtTensor;

/**
 * Copies `values` into a new array of `dtype` as a cast does (bool stores `v != 0` as 1/0;
 * int64 is a BigInt64Array; a value that does not fit an integer dtype is an error).
 */
export function convert(values: DataArray, dtype: DType): DataArray {
  return toDataArray('cast', values, dtype);
}

/** The handle's data as a core TypedArray (a view, not a copy; a BigInt64Array for int64). */
export function dataOf(h: Handle): TypedArray {
  return h.data as unknown as TypedArray;
}

/** Bytes a handle holds on the host (0 for a deferred result not computed yet). */
export function bytesOf(h: Handle): number {
  return (h.data as ArrayBufferView | undefined)?.byteLength ?? 0;
}
