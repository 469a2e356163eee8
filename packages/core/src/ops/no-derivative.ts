import { record } from '../autograd/node.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Records `out` as the result of an op PyTorch gives no derivative (`floor_divide`,
 * `aminmax`): it requires grad when an input does, as in PyTorch, and backward through it is
 * PyTorch's error rather than a silent zero. `hint` says what to use instead.
 */
export function noDerivative(op: string, out: Tensor, inputs: readonly Tensor[], hint = ''): Tensor {
  return record(`${op[0].toUpperCase()}${op.slice(1)}Backward`, out, inputs, () => {
    throw new Error(`${op}: the derivative is not implemented (as in PyTorch)${hint ? `; ${hint}` : ''}`);
  });
}
