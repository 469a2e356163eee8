import { isFloat } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { cast } from './convert.js';
import { inplace } from './inplace.js';
import { truthMask } from './nonzero.js';
import { putPositions, takePositions } from './put-positions.js';
import { expand, narrow, reshape } from './shape.js';
import { checkSameDevice, checkTensor, scalarLike } from './util.js';

function checkMask(op: string, x: Tensor, mask: Tensor): void {
  checkTensor(op, mask, 'mask');
  checkSameDevice(op, x, mask);
  if (mask.dtype !== 'bool') {
    throw new TypeError(
      `${op}: only supports boolean masks, but got mask with dtype ${mask.dtype} (use .bool())`,
    );
  }
}

/** Row-major positions of the true elements of `mask` broadcast to `shape`. */
function truePositions(mask: Tensor, shape: readonly number[]): Int32Array {
  const m = truthMask(shapesEqual(mask.shape, shape) ? mask : expand(mask, shape));
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i];
  const out = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) out[at++] = i;
  return out;
}

/** The fill value as a 0-d tensor of `x`'s dtype (a tensor value stays differentiable). */
function fillValue(op: string, x: Tensor, value: Tensor | number | boolean): Tensor {
  if (value instanceof Tensor) {
    checkTensor(op, value, 'value');
    checkSameDevice(op, x, value);
    if (value.ndim !== 0) {
      throw new Error(
        `${op}: only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s)`,
      );
    }
    return value.dtype === x.dtype ? value : cast(value, x.dtype);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`${op}: value must be a number, a boolean or a 0-d Tensor, got ${typeof value}`);
  }
  let v = Number(value);
  if (x.dtype === 'bool') v = v !== 0 ? 1 : 0;
  else if (!isFloat(x.dtype)) {
    if (!Number.isInteger(v)) {
      throw new TypeError(`${op}: value ${v} cannot be converted to ${x.dtype} without overflow or rounding`);
    }
  }
  return scalarLike(x, v, x.dtype);
}

/**
 * `x` with `value` where `mask` is true (PyTorch's `masked_fill`): `mask` is a bool tensor
 * broadcast with `x`, `value` a number or a 0-d tensor (differentiable: it gets the sum of
 * the gradient at the filled elements). `x` gets the gradient elsewhere.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: Tensor | number | boolean): Tensor {
  checkTensor('maskedFill', x);
  checkMask('maskedFill', x, mask);
  const v = fillValue('maskedFill', x, value);
  const y = where(mask, v, x);
  return y.dtype === x.dtype ? y : cast(y, x.dtype);
}

/** In-place {@link maskedFill} (`mask` must broadcast to `x`'s shape). Returns `x`. */
export function maskedFill_(x: Tensor, mask: Tensor, value: Tensor | number | boolean): Tensor {
  checkTensor('maskedFill_', x);
  checkMask('maskedFill_', x, mask);
  return inplace('maskedFill_', x, (self) => maskedFill(self, mask, value));
}

/**
 * The elements of `x` where `mask` is true, as a 1-D tensor in row-major order (PyTorch's
 * `masked_select`; `x` and `mask` broadcast together). Differentiable in `x`. Reads the mask on
 * the host (the result's size depends on it).
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensor('maskedSelect', x);
  checkMask('maskedSelect', x, mask);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const pos = truePositions(mask, shape);
  const xb = shapesEqual(x.shape, shape) ? x : expand(x, shape);
  return takePositions('maskedSelect', xb, pos, [pos.length]);
}

/**
 * `x` with the elements where `mask` is true replaced, in row-major order, by the first elements
 * of `source` (PyTorch's `masked_scatter`; `x` and `mask` broadcast together; `source` needs at
 * least as many elements as `mask` has true values). Differentiable in `x` and `source`.
 */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  checkTensor('maskedScatter', x);
  checkMask('maskedScatter', x, mask);
  checkTensor('maskedScatter', source, 'source');
  checkSameDevice('maskedScatter', x, source);
  const shape = broadcastShapes('maskedScatter', x.shape, mask.shape);
  const pos = truePositions(mask, shape);
  const n = source.numel();
  if (n < pos.length) {
    throw new Error(
      `maskedScatter: number of elements of source (${n}, shape ${fmtShape(source.shape)}) < number of ones in mask (${pos.length})`,
    );
  }
  if (source.dtype !== x.dtype) {
    throw new TypeError(
      `maskedScatter: expected source and self to have the same dtype, got ${source.dtype} and ${x.dtype}`,
    );
  }
  const vals = narrow(reshape(source, [n]), 0, 0, pos.length);
  const xb = shapesEqual(x.shape, shape) ? x : expand(x, shape);
  return putPositions('maskedScatter', xb, pos, vals, false);
}

/** In-place {@link maskedScatter} (`mask` must broadcast to `x`'s shape). Returns `x`. */
export function maskedScatter_(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  checkTensor('maskedScatter_', x);
  return inplace('maskedScatter_', x, (self) => maskedScatter(self, mask, source));
}
