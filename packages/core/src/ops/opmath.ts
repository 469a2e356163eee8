import type { DType } from '../backend/types.js';
import { isFloat } from '../tensor/dtype.js';
import { isHalf } from '../tensor/half.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './convert.js';

/**
 * Runs a composite on float inputs in the widest float the backend has, and rounds its result
 * once to `dtype`: float32 and the half dtypes compute in float64 where the backend stores it,
 * else (gpujs) the half dtypes in float32. A composite such as `log2 = log(x) / ln 2`,
 * `fmod = a - trunc(a / b) · b` or a polynomial then shows none of its intermediate roundings
 * in a float32 result, as PyTorch's one-kernel ops do not. float64 inputs compute as they are.
 * Differentiable (the casts are).
 */
export function opmath(dtype: DType, xs: readonly Tensor[], fn: (...wide: Tensor[]) => Tensor): Tensor {
  const wide = wideOf(xs[0], dtype);
  if (wide === dtype) return fn(...xs.map((x) => cast(x, dtype)));
  return cast(fn(...xs.map((x) => cast(x, wide))), dtype);
}

/** The dtype `opmath` computes a `dtype` result in on `like`'s backend. */
export function wideOf(like: Tensor, dtype: DType): DType {
  if (dtype === 'float64') return dtype;
  if (like._backend.supportsDtype('float64')) return 'float64';
  return isHalf(dtype) ? 'float32' : dtype;
}

/** The dtype of a float op's result: the input's float dtype, or float32 for integers and bool. */
export function floatDtype(x: Tensor): DType {
  return isFloat(x.dtype) ? x.dtype : 'float32';
}
