import type { DataArray, DType, TypedArray } from '../backend/types.js';

/** Every dtype, in the order error messages list them. */
export const DTYPES: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int32',
  'int64',
  'uint8',
  'bool',
];

/** Bytes per element of each dtype. */
export const ITEM_SIZE: Record<DType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  bool: 1,
};

/** Allocates the array that carries `dtype` (a BigInt64Array for int64). */
export function allocArray(dtype: 'int64', n: number): BigInt64Array;
export function allocArray(dtype: Exclude<DType, 'int64'>, n: number): TypedArray;
export function allocArray(dtype: DType, n: number): DataArray;
export function allocArray(dtype: DType, n: number): DataArray {
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

function newArray(dtype: DType, n: number): DataArray {
  switch (dtype) {
    case 'float32':
    case 'float16': // half dtypes travel as float32 values (see backend/half-storage.ts)
    case 'bfloat16':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

export function assertDType(op: string, dtype: unknown): DType {
  if (DTYPES.includes(dtype as DType)) return dtype as DType;
  throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected ${DTYPES.join(', ')})`);
}

/** Whether `dtype` is an integer dtype (int32, int64, uint8; bool is not). */
export function isInt(dtype: DType): boolean {
  return dtype === 'int32' || dtype === 'int64' || dtype === 'uint8';
}

const RANK: Record<DType, number> = {
  bool: 0,
  uint8: 1,
  int32: 2,
  int64: 3,
  float16: 4,
  bfloat16: 4,
  float32: 5,
  float64: 6,
};

/**
 * PyTorch's type promotion between two tensors (torch.promote_types): bool < uint8 < int32 <
 * int64 < float16, bfloat16 < float32 < float64 (PyTorch's uint8 with int8 is int16; without
 * int8/int16 here, uint8 with a signed integer is that integer type; float16 with bfloat16 is
 * float32).
 */
export function promoteTypes(a: DType, b: DType): DType {
  // float16 and bfloat16 hold each other's values in neither: both promote to float32
  if (a !== b && RANK[a] === RANK[b] && isFloat(a)) return 'float32';
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
  // An integer scalar makes a bool tensor int64 (Python's int is PyTorch's int64).
  if (Number.isInteger(value) && !Object.is(value, -0)) return t === 'bool' ? 'int64' : t;
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

/**
 * The range of each integer dtype (bool holds 0/1 and converts any value with `!= 0`). int64's
 * bounds are ±2^63 as JS numbers (2^63 - 1 has no double): {@link fitsDtype} treats its upper
 * bound as exclusive.
 */
export const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63],
  uint8: [0, 255],
};

/** The exact range of each integer dtype, as printed in errors. */
const RANGE_TEXT: Partial<Record<DType, string>> = {
  int32: '[-2147483648, 2147483647]',
  int64: '[-9223372036854775808, 9223372036854775807]',
  uint8: '[0, 255]',
};

/**
 * Whether `v` can be stored in `dtype` without wrapping: any number fits a float dtype
 * (IEEE rounding, overflow to ±Infinity, as PyTorch's casts); an integer dtype takes finite
 * values inside its range (fractions truncate toward zero, as PyTorch's casts do).
 */
export function fitsDtype(v: number, dtype: DType): boolean {
  const r = INT_RANGE[dtype];
  if (r === undefined) return true;
  // Every double in [-2^63, 2^63) truncates to an int64 (written so that NaN fails).
  if (dtype === 'int64') return v >= r[0] && v < r[1];
  // Written so that NaN fails too; fractions in (min - 1, max + 1) truncate into range.
  return v > r[0] - 1 && v < r[1] + 1;
}

/**
 * The error for a value that does not fit an integer dtype: PyTorch fidelity forbids a
 * silent wrap-around (C integer overflow) or a NaN turned into 0.
 */
export function intRangeError(op: string, v: number | bigint, dtype: DType): Error {
  return new RangeError(
    `${op}: value ${v} does not fit ${dtype} (range ${RANGE_TEXT[dtype] ?? '[0, 0]'}); integers never wrap around here — use a wider dtype (.long(), .float(), .double()) for larger values`,
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

/**
 * The largest int64 magnitude the backends compute exactly through doubles (2^53 - 1): int64
 * is stored exactly (every 64-bit value), but arithmetic, comparisons and reductions run on JS
 * numbers or float64 kernels, so values beyond it are refused instead of rounded.
 */
export const INT64_EXACT = Number.MAX_SAFE_INTEGER;

/** The error for an int64 value beyond ±(2^53 - 1) in an op computed through doubles. */
export function int64ExactError(op: string, v: number | bigint): Error {
  return new RangeError(
    `${op}: int64 value ${v} is beyond ±(2^53 - 1), the range in which int64 is computed exactly here (through doubles); such values are stored and moved exactly, but computing with them is refused instead of rounded`,
  );
}

/** int64 values as doubles to compute with; throws {@link int64ExactError} beyond ±(2^53 - 1). */
export function int64ToNumbers(op: string, values: BigInt64Array): Float64Array {
  const out = new Float64Array(values.length);
  const max = BigInt(INT64_EXACT);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > max || v < -max) throw int64ExactError(op, v);
    out[i] = Number(v);
  }
  return out;
}

/**
 * Numbers as int64 (a cast: fractions truncate toward zero). Throws {@link intRangeError} for
 * NaN, ±Infinity and values outside int64; every other double converts exactly.
 */
export function numbersToInt64(op: string, values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!fitsDtype(v, 'int64')) throw intRangeError(op, v, 'int64');
    out[i] = BigInt(Math.trunc(v));
  }
  return out;
}

/** The integer dtypes {@link narrowInt} produces. */
export type IntDType = 'int32' | 'int64' | 'uint8';

/**
 * {@link narrowInt32} for every integer dtype: integer results a backend computed in float64
 * (from int64 inputs within ±(2^53 - 1)), truncated toward zero and range-checked. An int64
 * result beyond ±(2^53 - 1) may have been rounded, so it is refused ({@link int64ExactError})
 * unless it is outside int64 altogether (then {@link intRangeError}).
 */
export function narrowInt(op: string, wide: Float64Array, dtype: IntDType): DataArray {
  if (dtype === 'int32') return narrowInt32(op, wide);
  const n = wide.length;
  const out = dtype === 'int64' ? new BigInt64Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(wide[i]);
    if (!fitsDtype(v, dtype)) {
      if (op === 'div' && !Number.isFinite(wide[i])) {
        throw new RangeError(
          `div: integer division by zero (${dtype}); divide floats (.float()) for ±inf/nan`,
        );
      }
      throw intRangeError(op, wide[i], dtype);
    }
    if (dtype === 'uint8') out[i] = v;
    else {
      if (Math.abs(v) > INT64_EXACT) throw int64ExactError(op, wide[i]);
      out[i] = BigInt(v);
    }
  }
  return out;
}

/**
 * `values` (numbers, or bigints for int64) as `dtype`'s array, the way a cast converts: floats
 * round, integers truncate toward zero and must fit ({@link intRangeError}), bool is `!= 0`.
 */
export function toDataArray(op: string, values: ArrayLike<number> | BigInt64Array, dtype: DType): DataArray {
  if (values instanceof BigInt64Array) {
    if (dtype === 'int64') return values.slice();
    const out = allocArray(dtype, values.length);
    const r = INT_RANGE[dtype];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (dtype === 'bool') out[i] = v !== 0n ? 1 : 0;
      else if (r !== undefined && (v < BigInt(r[0]) || v > BigInt(r[1]))) throw intRangeError(op, v, dtype);
      else out[i] = Number(v);
    }
    return out;
  }
  if (dtype === 'int64') return numbersToInt64(op, values);
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
    return out;
  }
  // uint8/bool bytes fit every dtype, int32 every one but uint8; the rest is checked
  const exact = values instanceof Uint8Array || (values instanceof Int32Array && dtype !== 'uint8');
  if (!exact) checkFits(op, values, dtype);
  out.set(values);
  return out;
}
