// Tensor.registerHook, installed on the prototype like the op methods (the tensor layer stays
// free of autograd imports).
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { addHook, type GradHook, type HookList, type RemovableHandle } from './hooks.js';
import { Node } from './node.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Calls `hook(grad)` each time the gradient with respect to this tensor is computed; a
     * returned tensor replaces the gradient (PyTorch's `Tensor.register_hook`). On a leaf the
     * hook sees the summed gradient before it is accumulated into `.grad`.
     *
     * ```ts
     * const h = x.registerHook((g) => g.mul(2)); // doubles x's gradient
     * h.remove();
     * ```
     */
    registerHook(hook: GradHook): RemovableHandle;
  }
}

Tensor.prototype.registerHook = function (this: Tensor, hook: GradHook): RemovableHandle {
  this._check('registerHook');
  if (!this.requiresGrad) {
    throw new Error(
      `registerHook: cannot register a hook on a tensor that does not require grad (${this.dtype} ${fmtShape(this.shape)})`,
    );
  }
  const fn = this.gradFn;
  let list: HookList;
  if (fn instanceof Node) {
    fn.hooks ??= new Map();
    list = fn.hooks;
  } else {
    this._gradHooks ??= new Map();
    list = this._gradHooks;
  }
  return addHook(list, hook);
};
