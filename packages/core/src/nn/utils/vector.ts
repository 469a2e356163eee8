import { noGrad } from '../../autograd/grad-mode.js';
import { cat } from '../../ops/join.js';
import { tidy } from '../../tensor/scope.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** All parameters flattened and concatenated into one 1-D tensor (differentiable). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = [...parameters];
  if (list.length === 0) throw new Error('parametersToVector: no parameters given');
  return cat(list.map((p) => p.reshape([-1])));
}

/** Copies consecutive slices of the 1-D `vec` into the parameters, in place and without recording. */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  const list = [...parameters];
  const total = list.reduce((s, p) => s + p.numel(), 0);
  if (vec.ndim !== 1 || vec.numel() !== total) {
    throw new Error(
      `vectorToParameters: expected a 1-D vector of ${total} values, got ${fmtShape(vec.shape)}`,
    );
  }
  noGrad(() =>
    tidy(() => {
      let at = 0;
      for (const p of list) {
        const n = p.numel();
        p.copy_(vec.narrow(0, at, n).reshape(p.shape));
        at += n;
      }
    }),
  );
}
