import type { DType, TypedArray } from '../backend/types.js';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Bytes per element of each dtype. */
export const ITEM_SIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Allocates the TypedArray that carries `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function assertDType(op: string, dtype: unknown): DType {
  if (DTYPES.includes(dtype as DType)) return dtype as DType;
  throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected float32, float64, int32 or bool)`);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch's type promotion between two tensors: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Result dtype of a tensor combined with a JS number (PyTorch: a Python scalar never
 * widens a tensor of the same category; a float scalar makes an integer tensor float32).
 */
export function promoteWithScalar(t: DType, value: number | boolean): DType {
  if (typeof value === 'boolean') return t;
  if (isFloat(t)) return t;
  if (Number.isInteger(value) || !Number.isFinite(value)) {
    return t === 'bool' ? (Number.isFinite(value) ? 'int32' : 'float32') : t;
  }
  return 'float32';
}

/** Infers a dtype from a JS array's leaves (PyTorch: all bools → bool, all ints → int, else float). */
export function inferDType(values: ArrayLike<number | boolean>): DType {
  let allBool = values.length > 0;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'boolean') continue;
    allBool = false;
    if (!Number.isInteger(v)) {
      allInt = false;
      break;
    }
  }
  if (allBool) return 'bool';
  return allInt && values.length > 0 ? 'int32' : 'float32';
}
