import type { DType } from '@proj/core';

/**
 * PyTorch's rules, restated independently of core for the fuzz suite: type promotion
 * (categories bool < integer < float; 0-d tensors and JS scalars only decide the dtype when
 * their category is higher) and the C/IEEE results of the elementwise ops.
 */

const WIDTH: Record<DType, number> = {
  bool: 0,
  uint8: 1,
  int32: 2,
  int64: 3,
  float16: 4,
  bfloat16: 4,
  float32: 5,
  float64: 6,
};

export function category(d: DType): number {
  return d === 'bool' ? 0 : d === 'int32' || d === 'int64' || d === 'uint8' ? 1 : 2;
}

function wider(a: DType, b: DType): DType {
  return WIDTH[a] >= WIDTH[b] ? a : b;
}

/** A JS scalar's category: booleans, integers (int64, as Python's int in PyTorch), other numbers float. */
export function scalarDtype(v: number | boolean): DType {
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) && !Object.is(v, -0) ? 'int64' : 'float32';
}

/** torch.result_type of two tensors given their dtypes and ranks. */
export function resultTypeTensors(a: DType, aRank: number, b: DType, bRank: number): DType {
  if ((aRank === 0) === (bRank === 0)) return wider(a, b);
  const [dimmed, zero] = aRank === 0 ? [b, a] : [a, b];
  return category(zero) > category(dimmed) ? zero : dimmed;
}

/** torch.result_type of a tensor and a JS scalar. */
export function resultTypeScalar(t: DType, v: number | boolean): DType {
  const s = scalarDtype(v);
  return category(s) > category(t) ? s : t;
}

/** C's pow, as PyTorch computes it (JS `**` differs: 1 ** NaN and (-1) ** Infinity are NaN there). */
export function cpow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** PyTorch's integer pow: a negative exponent gives 1 for 1, ±1 for -1 and 0 otherwise. */
export function ipow(x: number, y: number): number {
  if (y >= 0) return cpow(x, y);
  if (x === 1) return 1;
  if (x === -1) return y % 2 === 0 ? 1 : -1;
  return 0;
}

/** Python's / NumPy's round half to even (torch.round). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Rounds a float64 result to what `dtype` stores (float32 rounding, int truncation checked by caller). */
export function toDtype(v: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
