import type { DType, TypedArray } from '../backend/types.js';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Bytes per element of each dtype. */
export const ITEM_SIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Allocates the TypedArray that carries `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  try {
    return newArray(dtype, n);
  } catch (e) {
    // V8 says only "Invalid typed array length" or "Array buffer allocation failed".
    const bytes = n * ITEM_SIZE[dtype];
    throw new RangeError(
      `cannot allocate ${n} ${dtype} elements (${formatBytes(bytes)}): ${(e as Error).message}`,
    );
  }
}

function formatBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) {
    b /= 1000;
    i++;
  }
  return `${Number(b.toPrecision(3))} ${units[i]}`;
}

function newArray(dtype: DType, n: number): TypedArray {
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
  // ±Infinity, NaN and -0 are float scalars (Python's float('inf'), -0.0): they make an int
  // tensor float (an int32 -0 would lose its sign: 1 / -0 must stay -inf).
  if (Number.isInteger(value) && !Object.is(value, -0)) return t === 'bool' ? 'int32' : t;
  return 'float32';
}

/**
 * Infers a dtype from a JS array's leaves: all booleans → bool, any number → float32. JS
 * numbers carry no int/float distinction, so `tensor([1, 2])` is float32 (as in TF.js), never a
 * data-dependent int32; pass `{ dtype: 'int32' }` (or an Int32Array) for integers.
 */
export function inferDType(values: ArrayLike<number | boolean>): DType {
  if (values.length === 0) return 'float32';
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'boolean') return 'float32';
  return 'bool';
}

/** The range of each integer dtype (bool holds 0/1 and converts any value with `!= 0`). */
export const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int32: [-2147483648, 2147483647],
};

/**
 * Whether `v` can be stored in `dtype` without wrapping: any number fits a float dtype
 * (IEEE rounding, overflow to ±Infinity, as PyTorch's casts); an integer dtype takes finite
 * values inside its range (fractions truncate toward zero, as PyTorch's casts do).
 */
export function fitsDtype(v: number, dtype: DType): boolean {
  const r = INT_RANGE[dtype];
  // Written so that NaN fails too; fractions in (min - 1, max + 1) truncate into range.
  return r === undefined || (v > r[0] - 1 && v < r[1] + 1);
}

/**
 * The error for a value that does not fit an integer dtype: PyTorch fidelity forbids a
 * silent wrap-around (C integer overflow) or a NaN turned into 0.
 */
export function intRangeError(op: string, v: number, dtype: DType): Error {
  const r = INT_RANGE[dtype] ?? [0, 0];
  return new RangeError(
    `${op}: value ${v} does not fit ${dtype} (range [${r[0]}, ${r[1]}]); integers never wrap around here — use a float dtype (.float(), .double()) for larger values`,
  );
}

/** Throws {@link intRangeError} for the first element of `values` that does not fit `dtype`. */
export function checkFits(op: string, values: ArrayLike<number>, dtype: DType): void {
  if (INT_RANGE[dtype] === undefined) return;
  for (let i = 0; i < values.length; i++) {
    if (!fitsDtype(values[i], dtype)) throw intRangeError(op, values[i], dtype);
  }
}

/**
 * Narrows int32 results that a backend computed in float64 (exact for every sum, difference and
 * product of int32 values that fits): truncates toward zero, and throws for a value out of range
 * ({@link intRangeError}) or an integer division by zero (±inf/NaN from `div`), instead of C's
 * wrap-around or trap. Shared by the backends so their errors read the same.
 */
export function narrowInt32(op: string, wide: Float64Array): Int32Array {
  const out = new Int32Array(wide.length);
  for (let i = 0; i < wide.length; i++) {
    const v = Math.trunc(wide[i]);
    if (!fitsDtype(v, 'int32')) {
      if (op === 'div' && !Number.isFinite(wide[i])) {
        throw new RangeError('div: integer division by zero (int32); divide floats (.float()) for ±inf/nan');
      }
      throw intRangeError(op, wide[i], 'int32');
    }
    out[i] = v;
  }
  return out;
}
