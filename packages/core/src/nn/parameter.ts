import '../ops/methods.js';
import type { DType } from '../backend/types.js';
import { trackTensor } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a module's learnable weight: assigning one to a {@link Module} property
 * registers it. It shares the storage of the tensor it is made from (no copy), requires grad
 * by default, and is exempt from `tidy()` so a training step never frees the weights.
 *
 * ```ts
 * this.scale = new nn.Parameter(ones([4]));
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    data._check('Parameter');
    super(data._storage, data.shape, data.dtype, data._strides, data._offset);
    this._kept = true;
    if (requiresGrad) this.requiresGrad_(true);
  }

  /** @internal A parameter taking over a freshly made tensor (which is disposed; its buffer lives on). */
  static _adopt(data: Tensor, requiresGrad = true): Parameter {
    const p = new Parameter(data, requiresGrad);
    data.dispose();
    return p;
  }

  /** Prints like PyTorch: `Parameter containing:\ntensor(...)`. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * @internal Makes `t` hold `src`'s buffer (and dtype) in place, then disposes `src`. Used by
 * `Module.to()` so parameters and buffers keep their identity (optimizers hold references).
 */
export function rebindStorage(t: Tensor, src: Tensor): void {
  if (src === t) return;
  const storage = src._storage;
  t._storage.release();
  t._storage = storage;
  (t as { dtype: DType }).dtype = src.dtype;
  t._strides = src._strides;
  t._offset = src._offset;
  t._dense = src._dense;
  t._mat?.free();
  t._mat = null;
  storage.retain();
  trackTensor(t);
  storage.version++;
  src.dispose();
}
