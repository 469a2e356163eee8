import type { DType, Shape, TypedArray } from '@proj/core';

/** A float buffer: the element type every float kernel (matmul, conv, softmax) works on. */
export type FloatArray = Float32Array | Float64Array;

/** A new zeroed buffer of `n` elements of `dtype` (bool is 0/1 bytes). */
export function alloc(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
    default:
      throw new Error(
        `cpu: unsupported dtype '${dtype as string}' (expected float32, float64, int32 or bool)`,
      );
  }
}

/** A new buffer of the same element type as `like`. */
export function allocLike(like: TypedArray, n: number): TypedArray {
  if (like instanceof Float32Array) return new Float32Array(n);
  if (like instanceof Float64Array) return new Float64Array(n);
  if (like instanceof Int32Array) return new Int32Array(n);
  return new Uint8Array(n);
}

/** Number of elements of `shape` (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides of a contiguous `shape`. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Copies `src` into a new buffer of `dtype`, converting as PyTorch's cast does: float→int
 * truncates toward zero (TypedArray assignment does ToInt32), →bool is `x != 0`.
 */
export function convert(src: TypedArray, dtype: DType): TypedArray {
  const n = src.length;
  const out = alloc(dtype, n);
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else {
    out.set(src);
  }
  return out;
}
