import { type DataArray, type DType, type TypedArray, toDataArray } from '@proj/core';

/** A float buffer: the element type every float kernel (matmul, conv, softmax) works on. */
export type FloatArray = Float32Array | Float64Array;

/** A new buffer of the same element type as `like`. */
export function allocLike(like: TypedArray, n: number): TypedArray {
  if (like instanceof Float32Array) return new Float32Array(n);
  if (like instanceof Float64Array) return new Float64Array(n);
  if (like instanceof Int32Array) return new Int32Array(n);
  // int64 storage: the movement kernels copy its bigints as they are (typed as numbers there)
  if ((like as DataArray) instanceof BigInt64Array) return new BigInt64Array(n) as unknown as TypedArray;
  return new Uint8Array(n);
}

/** A new float buffer of the same precision as `like`. */
export function floatLike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * Copies `src` into a new buffer of `dtype`, converting as PyTorch's cast does: float→int
 * truncates toward zero, →bool is `x != 0`; a value that does not fit the integer dtype (or
 * NaN) is an error, never a wrap-around (an Int32Array assignment would wrap 1e10). int64 is a
 * BigInt64Array, converted exactly.
 */
export function convert(src: DataArray, dtype: DType): DataArray {
  return toDataArray('cast', src, dtype);
}
