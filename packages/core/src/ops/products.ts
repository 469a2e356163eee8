// mm, bmm, dot and outer: PyTorch's strict-shape products. They are matmul (floats) or a
// broadcast multiply-and-sum (integers, which matmul refuses but PyTorch's CPU kernels compute),
// so gradients come from those ops and nothing here has a backward of its own.
import { req, signature as sig, tensor, unsupported } from '../signature/signature.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import { cast } from './convert.js';
import { checkMatmulDtypes, matmul } from './matmul.js';
import { sum } from './reduce.js';
import { reshape, unsqueeze } from './shape.js';
import { checkSameDevice, checkTensor } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);

/** mm(input, mat2, *, out=None) */
export const MM = sig('mm', [req('input', tensor), req('mat2', tensor), out]);
/** bmm(input, mat2, *, out=None) */
export const BMM = sig('bmm', [req('input', tensor), req('mat2', tensor), out]);
/** dot(input, tensor, *, out=None): PyTorch's parser names the second vector `tensor` (its 1.13 docstring says `other`). */
export const DOT = sig('dot', [req('input', tensor), req('tensor', tensor), out]);
/** outer(input, vec2, *, out=None) */
export const OUTER = sig('outer', [req('input', tensor), req('vec2', tensor), out]);

/**
 * `a @ b` for `[..., M, K] @ [..., K, N]` operands of one dtype whose batch dims broadcast:
 * matmul for floating point; for integers (int32, int64, uint8) an exact multiply-and-sum in
 * int64, cast back to the operands' dtype (a value that does not fit is an error, never wrapped).
 * Bool is refused, as PyTorch's `bmm` refuses it. @internal
 */
export function productOf(op: string, a: Tensor, b: Tensor): Tensor {
  if (isFloat(a.dtype) || a.dtype !== b.dtype) {
    checkMatmulDtypes(op, a, b);
    return matmul(a, b);
  }
  if (a.dtype === 'bool') {
    throw new Error(
      `${op}: not implemented for bool tensors (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}); cast with .int() or .float()`,
    );
  }
  // [..., M, K, 1] * [..., 1, K, N] summed over K.
  const y = sum(mul(unsqueeze(a, -1), unsqueeze(b, -3)), -2);
  return cast(y, a.dtype);
}

function checkOperands(op: string, a: Tensor, b: Tensor): void {
  checkTensor(op, a);
  checkTensor(op, b, 'mat2');
  checkSameDevice(op, a, b);
}

/**
 * The matrix product of two 2-D tensors, without broadcasting (PyTorch's `torch.mm`).
 *
 * ```ts
 * mm(randn(2, 3), randn(3, 4)); // [2, 4]
 * ```
 */
export function mm(input: Tensor, mat2: Tensor, ...rest: [opts?: Record<string, never>]): Tensor {
  const a = MM.parse<{ input: Tensor; mat2: Tensor }>([input, mat2, ...rest]);
  checkOperands('mm', a.input, a.mat2);
  const [x, y] = [a.input, a.mat2];
  if (x.ndim !== 2 || y.ndim !== 2) {
    throw new Error(
      `mm: expected two matrices (2-D tensors), got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} (use matmul to broadcast)`,
    );
  }
  if (x.shape[1] !== y.shape[0]) {
    throw new Error(
      `mm: mat1 and mat2 shapes cannot be multiplied (${x.shape[0]}x${x.shape[1]} and ${y.shape[0]}x${y.shape[1]})`,
    );
  }
  return productOf('mm', x, y);
}

/**
 * Batched matrix product of 3-D tensors `[B, M, K] @ [B, K, N]` with equal batch sizes and no
 * broadcasting (PyTorch's `torch.bmm`).
 */
export function bmm(input: Tensor, mat2: Tensor, ...rest: [opts?: Record<string, never>]): Tensor {
  const a = BMM.parse<{ input: Tensor; mat2: Tensor }>([input, mat2, ...rest]);
  checkOperands('bmm', a.input, a.mat2);
  const [x, y] = [a.input, a.mat2];
  if (x.ndim !== 3 || y.ndim !== 3) {
    throw new Error(
      `bmm: expected two 3-D tensors [B, M, K] and [B, K, N], got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  }
  if (y.shape[0] !== x.shape[0] || y.shape[1] !== x.shape[2]) {
    throw new Error(
      `bmm: expected mat2 of shape [${x.shape[0]}, ${x.shape[2]}, N] for input ${fmtShape(x.shape)}, got ${fmtShape(y.shape)} (bmm does not broadcast; use matmul)`,
    );
  }
  return productOf('bmm', x, y);
}

/** The inner product of two 1-D tensors of equal length and dtype (a 0-d tensor). */
export function dot(input: Tensor, tensor: Tensor, ...rest: [opts?: Record<string, never>]): Tensor {
  const a = DOT.parse<{ input: Tensor; tensor: Tensor }>([input, tensor, ...rest]);
  checkOperands('dot', a.input, a.tensor);
  const [x, y] = [a.input, a.tensor];
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new Error(`dot: expected 1-D tensors, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(
      `dot: expected tensors with the same number of elements, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  }
  if (x.dtype !== y.dtype) {
    throw new Error(`dot: expected both vectors to have the same dtype, got ${x.dtype} and ${y.dtype}`);
  }
  return reshape(productOf('dot', reshape(x, [1, -1]), reshape(y, [-1, 1])), []);
}

/**
 * The outer product of two 1-D tensors: `out[i][j] = input[i] * vec2[j]` (dtypes promote as
 * `mul`'s).
 */
export function outer(input: Tensor, vec2: Tensor, ...rest: [opts?: Record<string, never>]): Tensor {
  const a = OUTER.parse<{ input: Tensor; vec2: Tensor }>([input, vec2, ...rest]);
  checkTensor('outer', a.input);
  checkTensor('outer', a.vec2, 'vec2');
  for (const [name, v] of [
    ['input', a.input],
    ['vec2', a.vec2],
  ] as const) {
    if (v.ndim !== 1) throw new Error(`outer: expected ${name} to be 1-D, got shape ${fmtShape(v.shape)}`);
  }
  return mul(unsqueeze(a.input, 1), unsqueeze(a.vec2, 0));
}
