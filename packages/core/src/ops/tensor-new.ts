// Tensor methods PyTorch code reaches for that make a tensor like this one: new_zeros,
// new_ones, new_full, new_empty, view_as, cpu. Installed on the prototype like the op methods.
import type { DType } from '../backend/types.js';
import { full } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { to } from './convert.js';
import { view } from './shape.js';

/** Options of the `new*` methods: the dtype and device default to this tensor's. */
export interface NewTensorOptions {
  /** Element type (default: this tensor's). */
  dtype?: DType;
  /** Backend name (default: this tensor's device). */
  device?: string;
  /** Whether the new tensor records operations for autograd (default false). */
  requiresGrad?: boolean;
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    /** Zeros of `size` with this tensor's dtype and device unless given (PyTorch's `new_zeros`). */
    newZeros(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** Ones of `size`, dtype and device as this tensor's unless given (PyTorch's `new_ones`). */
    newOnes(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** `fillValue` everywhere, dtype and device as this tensor's unless given (PyTorch's `new_full`). */
    newFull(size: readonly number[], fillValue: number | boolean, opts?: NewTensorOptions): Tensor;
    /** A tensor of `size` like this one (PyTorch's `new_empty`; here filled with zeros). */
    newEmpty(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** This tensor viewed with `other`'s shape (PyTorch's `view_as`). */
    viewAs(other: Tensor): Tensor;
    /** This tensor on the CPU backend (PyTorch's `cpu()`): `to('cpu')`. */
    cpu(): Tensor;
  }
}

function like(
  t: Tensor,
  size: readonly number[],
  value: number | boolean,
  opts: NewTensorOptions = {},
): Tensor {
  return full(size, value, {
    dtype: opts.dtype ?? t.dtype,
    device: opts.device ?? t.device,
    requiresGrad: opts.requiresGrad ?? false,
  });
}

const P = Tensor.prototype;
P.newZeros = function (size, opts) {
  return like(this, size, 0, opts);
};
P.newOnes = function (size, opts) {
  return like(this, size, 1, opts);
};
P.newFull = function (size, fillValue, opts) {
  return like(this, size, fillValue, opts);
};
P.newEmpty = function (size, opts) {
  return like(this, size, 0, opts);
};
P.viewAs = function (other) {
  return view(this, other.shape);
};
P.cpu = function () {
  return to(this, 'cpu');
};
