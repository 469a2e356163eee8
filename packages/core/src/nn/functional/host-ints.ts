// Integer tensors that only steer a computation (label lists, lengths, offsets) are read on the
// host once: their values choose indices and masks, they are never differentiated.
import type { DataArray } from '../../backend/types.js';
import { checkTensor } from '../../ops/util.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * @internal The values of an int64 or int32 tensor as JS numbers (row-major); anything else is
 * refused naming `op` and `what`.
 */
export function readInts(op: string, t: Tensor, what: string): number[] {
  checkTensor(op, t, what);
  if (t.dtype !== 'int64' && t.dtype !== 'int32') {
    throw new Error(
      `${op}: ${what} must be an int64 or int32 tensor, got ${t.dtype} ${fmtShape(t.shape)} (use .long())`,
    );
  }
  if (t.numel() === 0) return [];
  return Array.from(t.dataSync<DataArray>(), Number);
}

/**
 * @internal Lengths given as an int tensor or a JS array of integers (PyTorch takes both), as
 * numbers; `what` names them in errors.
 */
export function readLengths(op: string, v: Tensor | readonly number[] | number, what: string): number[] {
  if (typeof v === 'number') v = [v];
  const out = Array.isArray(v) ? [...(v as readonly number[])] : readInts(op, v as Tensor, what);
  for (const n of out) {
    if (!Number.isInteger(n)) throw new Error(`${op}: ${what} must hold integers, got ${n}`);
  }
  return out;
}
