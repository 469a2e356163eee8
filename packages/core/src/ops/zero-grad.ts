// The zero gradient PyTorch gives some ops (normal, bernoulli, cdist and vector norms with p = 0):
// their result requires grad like their inputs, and backward gives those inputs zeros.
import { record } from '../autograd/node.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** Records `y` (computed without recording) as depending on `inputs` with a zero gradient. */
export function withZeroGrad(name: string, y: Tensor, inputs: readonly Tensor[]): Tensor {
  return record(
    name,
    y,
    inputs,
    () => inputs.map((t) => (t.requiresGrad ? full(t.shape, 0, { dtype: t.dtype, device: t.device }) : null)),
    [],
    { zeroGradient: true },
  );
}
