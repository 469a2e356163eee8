// Piecewise-linear activations as single recorded ops, with PyTorch's second-order semantics:
// their backward (leaky_relu_backward, hardtanh_backward, threshold_backward, …) is linear in
// the incoming gradient and has a zero gradient with respect to the input (PyTorch records
// `self: zeros_like(grad)`). Under createGraph the input therefore gets zeros, not no gradient,
// which is what an optimizer sees (a zero gradient is stepped on, a missing one skipped).
import { isGradEnabled, noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { detach } from '../../ops/convert.js';
import { zerosLike } from '../../tensor/creation.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The gradient of the function at `x` applied to `g` (a where on masks of `x`). */
export type LinearBackward = (g: Tensor, x: Tensor) => Tensor;

/**
 * `forward(x)` recorded as `name`, with gradient `backward(g, x)`; that gradient is itself
 * recorded as linear in `g` and constant in `x`.
 */
export function piecewiseLinear(
  name: string,
  x: Tensor,
  forward: (x: Tensor) => Tensor,
  backward: LinearBackward,
): Tensor {
  const y = noGrad(() => forward(x));
  if (!isFloat(y.dtype)) return y;
  return record(`${name}Backward`, y, [x], (g) => [applyBackward(name, g, x, backward)], [x]);
}

function applyBackward(name: string, g: Tensor, x: Tensor, backward: LinearBackward): Tensor {
  const gx = noGrad(() => backward(g, x));
  return record(
    `${name}BackwardBackward`,
    gx,
    [g, x],
    (gg) => [applyBackward(name, gg, x, backward), zerosLike(x)],
    [x],
  );
}

/**
 * `gx` (a gradient computed under createGraph) with an extra edge to `x` that carries a zero
 * gradient: PyTorch's `self: zeros_like(self)` of backward ops such as
 * max_pool2d_with_indices_backward and avg_pool2d_backward. Outside createGraph it is `gx`.
 */
export function withZeroEdge(name: string, gx: Tensor, x: Tensor): Tensor {
  if (!isGradEnabled()) return gx;
  return record(name, detach(gx), [gx, x], (h) => [h, zerosLike(x)]);
}
