import { roundHalfResult } from '../backend/half-storage.js';
import type { DType, Shape } from '../backend/types.js';
import { fitsDtype, ITEM_SIZE, intRangeError, isFloat } from '../tensor/dtype.js';
import { fmtShape, sizeOf } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a JS number/boolean operand. */
export type TensorLike = Tensor | number | boolean;

/**
 * Wraps a backend result as a tensor on `like`'s device. A float16/bfloat16 result (computed in
 * float32) is rounded to its dtype here, once per op (see backend/half-storage.ts).
 */
export function wrap(like: Tensor, handle: unknown, shape: Shape, dtype: DType): Tensor {
  const s = like._storage;
  const h = roundHalfResult(s.backend, handle, shape, dtype);
  return new Tensor(new Storage(s.backend, s.device, h, sizeOf(shape) * ITEM_SIZE[dtype]), shape, dtype);
}

/** Throws unless `t` is a live tensor. */
export function checkTensor(op: string, t: unknown, what = 'input'): Tensor {
  if (!(t instanceof Tensor)) {
    throw new Error(`${op}: expected ${what} to be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  t._check(op);
  return t;
}

/** Throws when two tensors live on different devices. */
export function checkSameDevice(op: string, a: Tensor, b: Tensor): void {
  if (a._storage.device !== b._storage.device) {
    throw new Error(`${op}: tensors are on different devices: ${a.device} and ${b.device} (use .to())`);
  }
}

/** A 0-d tensor holding `v` on `like`'s device. */
export function scalarLike(like: Tensor, v: number, dtype: DType): Tensor {
  if (!fitsDtype(v, dtype)) throw intRangeError('scalar operand', v, dtype);
  const b = like._storage.backend;
  return wrap(like, b.fill([], dtype, v), [], dtype);
}

/** Throws unless the dtype is floating point. */
export function checkFloat(op: string, t: Tensor): void {
  if (!isFloat(t.dtype)) {
    throw new Error(
      `${op}: expected a floating point tensor, got ${t.dtype} ${fmtShape(t.shape)} (use .float())`,
    );
  }
}
