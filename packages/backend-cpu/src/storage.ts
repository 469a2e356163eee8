import { allocArray, checkFits, type DType, type TypedArray } from '@proj/core';

/** A float buffer: the element type every float kernel (matmul, conv, softmax) works on. */
export type FloatArray = Float32Array | Float64Array;

/** A new buffer of the same element type as `like`. */
export function allocLike(like: TypedArray, n: number): TypedArray {
  if (like instanceof Float32Array) return new Float32Array(n);
  if (like instanceof Float64Array) return new Float64Array(n);
  if (like instanceof Int32Array) return new Int32Array(n);
  return new Uint8Array(n);
}

/** A new float buffer of the same precision as `like`. */
export function floatLike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * Copies `src` into a new buffer of `dtype`, converting as PyTorch's cast does: float→int
 * truncates toward zero, →bool is `x != 0`; a float that does not fit int32 (or NaN) is an error.
 */
export function convert(src: TypedArray, dtype: DType): TypedArray {
  const n = src.length;
  const out = allocArray(dtype, n);
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else {
    // Int32Array assignment would wrap 1e10 and turn NaN into 0: refuse instead.
    if (!(src instanceof Int32Array) && !(src instanceof Uint8Array)) checkFits('cast', src, dtype);
    out.set(src);
  }
  return out;
}
