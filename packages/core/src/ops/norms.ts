// linalg.vectorNorm, linalg.matrixNorm and linalg.norm with PyTorch 1.13's ord/dim/keepdim/dtype
// rules, composed from differentiable reductions. Gradients are PyTorch's norm_backward: 0 where
// the norm (or, for 0 < ord < 1, the element) is 0 instead of NaN (see masked-pow.ts), shared
// evenly among the elements at the maximum for ord = ±inf (amax/amin), zero for ord = 0.
import { noGrad } from '../autograd/grad-mode.js';
import type { DType } from '../backend/types.js';
import {
  bool,
  type Check,
  either,
  kw,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { DTYPES, isFloat, promoteTypes } from '../tensor/dtype.js';
import { fmtShape, normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, ne } from './binary.js';
import { cast, computeWide } from './convert.js';
import { maskedPow } from './masked-pow.js';
import { abs } from './pointwise.js';
import { amax, amin, sum } from './reduce.js';
import { checkTensor } from './util.js';
import { withZeroGrad } from './zero-grad.js';

/** Dims to reduce: one, several, or null/undefined for all. */
export type NormDims = number | readonly number[] | null;

const dims: Check = (v) =>
  (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';
const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
const dtype = kw('dtype', optional(oneOf(...DTYPES)));
const matrixOrd: Check = either(oneOf('fro', 'nuc'), num);

/** linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None) */
export const VECTOR_NORM = sig('linalg.vectorNorm', [
  req('x', tensor),
  opt('ord', num),
  opt('dim', optional(dims)),
  opt('keepdim', bool),
  dtype,
  out,
]);
/**
 * linalg.matrix_norm(input, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None, out=None): the
 * docstring of 1.13 says `A`, its parser binds `input`.
 */
export const MATRIX_NORM = sig('linalg.matrixNorm', [
  req('input', tensor),
  opt('ord', matrixOrd),
  opt('dim', dims),
  opt('keepdim', bool),
  dtype,
  out,
]);
/** linalg.norm(input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None) (1.13's parser names; the docstring says `A`) */
export const NORM = sig('linalg.norm', [
  req('input', tensor),
  opt('ord', optional(matrixOrd)),
  opt('dim', optional(dims)),
  opt('keepdim', bool),
  out,
  dtype,
]);

/** Options of {@link vectorNorm}. */
export interface VectorNormOptions {
  /** The order: 2 (default), 1, Infinity, -Infinity, 0 (number of non-zeros) or any real p. */
  ord?: number;
  /** Dim or dims to reduce (all elements, flattened, when omitted). */
  dim?: NormDims;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Computes in this floating dtype (the input must widen to it without narrowing). */
  dtype?: DType | null;
}
/** A matrix norm order: 'fro', 'nuc' or ±1, ±2, ±Infinity. */
export type MatrixOrd = 'fro' | 'nuc' | number;
/** Options of {@link matrixNorm}. */
export interface MatrixNormOptions {
  /**
   * The norm: `'fro'` (default), ±1 or ±Infinity, as in `torch.linalg.matrix_norm`; `'nuc'` and ±2
   * need singular values and throw (not implemented).
   */
  ord?: MatrixOrd;
  /** The two dims holding the matrices (default `[-2, -1]`). */
  dim?: readonly number[];
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Computes in this floating dtype (the input must widen to it without narrowing). */
  dtype?: DType | null;
}
/** Options of {@link norm}. */
export interface NormOptions {
  /**
   * The order: a vector norm for one dim (or none and a 1-D input), a matrix norm for two dims; null: 2-norm
   * of the flattened input, or Frobenius for a matrix.
   */
  ord?: MatrixOrd | null;
  /** One dim (a vector norm) or two (a matrix norm); when omitted, the whole input. */
  dim?: NormDims;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Computes in this floating dtype (the input must widen to it without narrowing). */
  dtype?: DType | null;
}

/** `x` in the dtype the norm computes in: its own, or `dtype` when that widens it. */
function normInput(op: string, x: Tensor, dtype: DType | null | undefined): Tensor {
  checkTensor(op, x);
  if (!isFloat(x.dtype)) {
    throw new Error(`${op}: expected a floating point tensor as input, got ${x.dtype} ${fmtShape(x.shape)}`);
  }
  if (dtype === undefined || dtype === null || dtype === x.dtype) return x;
  if (!isFloat(dtype) || promoteTypes(x.dtype, dtype) !== dtype) {
    throw new Error(
      `${op}: the dtype of the input (${x.dtype}) should be convertible without narrowing to the specified dtype (${dtype})`,
    );
  }
  return cast(x, dtype);
}

/**
 * The vector `ord`-norm of `x` over `dim` (all elements when omitted, null or []):
 * `(Σ|x|^ord)^(1/ord)`, with ord = Infinity the largest |x|, -Infinity the smallest, 0 the number
 * of non-zero elements. PyTorch's `torch.linalg.vector_norm`; the input must be floating point.
 *
 * ```ts
 * linalg.vectorNorm(x);                            // 2-norm of all elements
 * linalg.vectorNorm(x, 1, -1, true);               // L1 of each row, kept as [..., 1]
 * linalg.vectorNorm(x, { ord: Infinity, dim: [0, 1] });
 * ```
 */
export function vectorNorm(
  x: Tensor,
  ...rest: PosOrOpts<[ord: number, dim: NormDims, keepdim: boolean], VectorNormOptions>
): Tensor {
  const a = VECTOR_NORM.parse<{ x: Tensor } & VectorNormOptions>([x, ...rest]);
  return vectorNormOf('linalg.vectorNorm', a.x, a.ord ?? 2, a.dim, a.keepdim ?? false, a.dtype);
}

function vectorNormOf(
  op: string,
  x: Tensor,
  ord: number,
  dim: NormDims | undefined,
  keepdim: boolean,
  dtype: DType | null | undefined,
): Tensor {
  const input = normInput(op, x, dtype);
  const axes = normDims(
    op,
    dim === null || (Array.isArray(dim) && dim.length === 0) ? undefined : dim,
    input.ndim,
  );
  if (ord < 0 || ord === Number.POSITIVE_INFINITY) {
    const empty = input.ndim > 0 && axes.some((d) => input.shape[d] === 0);
    if (empty) {
      throw new Error(
        `${op}: cannot compute the ${ord} norm over an empty dim (shape ${fmtShape(input.shape)}, dim ${JSON.stringify(dim ?? null)}) because the operation does not have an identity`,
      );
    }
  }
  // PyTorch computes half norms in float32 and rounds once.
  return computeWide(input, (w) => vectorNormRaw(w, ord, axes, keepdim));
}

function vectorNormRaw(x: Tensor, ord: number, axes: number[], keepdim: boolean): Tensor {
  if (ord === 2) return maskedPow(sum(mul(x, x), axes, keepdim), 0.5);
  if (ord === 1) return sum(abs(x), axes, keepdim);
  if (ord === Number.POSITIVE_INFINITY) return amax(abs(x), axes, keepdim);
  if (ord === Number.NEGATIVE_INFINITY) return amin(abs(x), axes, keepdim);
  if (ord === 0) {
    // The number of non-zero elements; PyTorch gives it a zero gradient.
    const y = noGrad(() => sum(cast(ne(x, 0), x.dtype), axes, keepdim));
    return withZeroGrad('LinalgVectorNormBackward', y, [x]);
  }
  return maskedPow(sum(maskedPow(abs(x), ord), axes, keepdim), 1 / ord);
}

/**
 * The matrix norm of the matrices over `dim` (default the last two): 'fro' (Frobenius), 1 / -1
 * (largest / smallest column sum of |A|), Infinity / -Infinity (largest / smallest row sum).
 * PyTorch's `torch.linalg.matrix_norm`. 'nuc', 2 and -2 need singular values, which are not
 * implemented here: they are refused with an error.
 */
export function matrixNorm(
  A: Tensor,
  ...rest: PosOrOpts<[ord: MatrixOrd, dim: readonly number[], keepdim: boolean], MatrixNormOptions>
): Tensor {
  const a = MATRIX_NORM.parse<{ input: Tensor } & MatrixNormOptions>([A, ...rest]);
  return matrixNormOf(a.input, a.ord ?? 'fro', a.dim ?? [-2, -1], a.keepdim ?? false, a.dtype);
}

function matrixNormOf(
  A: Tensor,
  ord: MatrixOrd,
  dim: number | readonly number[],
  keepdim: boolean,
  dtype: DType | null | undefined,
): Tensor {
  const op = 'linalg.matrixNorm';
  checkTensor(op, A);
  if (A.ndim < 2) {
    throw new Error(
      `${op}: the input tensor A must have at least 2 dimensions, got shape ${fmtShape(A.shape)}`,
    );
  }
  const input = normInput(op, A, dtype);
  if (typeof dim === 'number' || dim.length !== 2) {
    throw new Error(`${op}: dim must be a pair of dims, got ${JSON.stringify(dim)}`);
  }
  let [d0, d1] = dim.map((d) => normDim(op, d, A.ndim));
  if (d0 === d1) throw new Error(`${op}: dims must be different, got ${JSON.stringify(dim)}`);
  if (ord === 'fro') return vectorNormOf(op, input, 2, [d0, d1], keepdim, null);
  if (ord === 'nuc' || Math.abs(ord) === 2) {
    throw new Error(
      `${op}: ord ${JSON.stringify(ord)} needs the singular values (SVD), which are not implemented; 'fro', ±1 and ±Infinity are`,
    );
  }
  if (Math.abs(ord) !== 1 && Math.abs(ord) !== Number.POSITIVE_INFINITY) {
    throw new Error(`${op}: order ${ord} not supported (expected 'fro', 'nuc', ±1, ±2 or ±Infinity)`);
  }
  // PyTorch's order of reductions: the 1-norm sums over dim[0] (|A|'s column sums) then takes
  // the max over dim[1]; the inf-norm is the 1-norm of the transpose.
  if (Math.abs(ord) === Number.POSITIVE_INFINITY) [d0, d1] = [d1, d0];
  if (!keepdim && d0 < d1) d1--;
  const sums = vectorNormOf(op, input, 1, d0, keepdim, null);
  return ord > 0 ? amax(sums, d1, keepdim) : amin(sums, d1, keepdim);
}

/**
 * A vector or matrix norm, as PyTorch's `torch.linalg.norm` chooses: a string `ord`, or a
 * numeric `ord` with two dims (or no dim and a 2-D input) is {@link matrixNorm}; otherwise
 * {@link vectorNorm} (the 2-norm when `ord` is omitted, of all elements when `dim` is).
 *
 * ```ts
 * linalg.norm(x);          // 2-norm of all elements (Frobenius for a matrix)
 * linalg.norm(m, 1);       // matrix 1-norm of a 2-D m
 * linalg.norm(x, 'fro', [0, 1]);
 * ```
 */
export function norm(
  A: Tensor,
  ...rest: PosOrOpts<[ord: MatrixOrd | null, dim: NormDims, keepdim: boolean], NormOptions>
): Tensor {
  const a = NORM.parse<{ input: Tensor } & NormOptions>([A, ...rest]);
  const op = 'linalg.norm';
  const x = checkTensor(op, a.input);
  const ord = a.ord ?? null;
  const dim = a.dim ?? null;
  const keepdim = a.keepdim ?? false;
  const nDims = dim === null ? 0 : typeof dim === 'number' ? 1 : dim.length;
  if (dim !== null && nDims !== 1 && nDims !== 2) {
    throw new Error(`${op}: if dim is given, it must hold 1 or 2 dims, got ${JSON.stringify(dim)}`);
  }
  if (dim === null && ord !== null && x.ndim !== 1 && x.ndim !== 2) {
    throw new Error(
      `${op}: if dim is not given but ord is, the input must be 1-D or 2-D, got shape ${fmtShape(x.shape)}`,
    );
  }
  if (typeof ord === 'string') return matrixNormOf(x, ord, dim ?? [0, 1], keepdim, a.dtype);
  if (ord !== null && (nDims === 2 || (dim === null && x.ndim === 2))) {
    return matrixNormOf(x, ord, dim ?? [0, 1], keepdim, a.dtype);
  }
  return vectorNormOf(op, x, ord ?? 2, dim, keepdim, a.dtype);
}
