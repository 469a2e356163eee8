import { noGrad } from '../../autograd/grad-mode.js';
import { div } from '../../ops/binary.js';
import { checkOnDevice } from '../../ops/device-check.js';
import { stack } from '../../ops/join.js';
import { full } from '../../tensor/creation.js';
import { keep, tidy } from '../../tensor/scope.js';
import { Tensor } from '../../tensor/tensor.js';

function withGrads(params: Iterable<Tensor> | Tensor): Tensor[] {
  // A Tensor is iterable (over dim 0) but counts as one parameter, as in PyTorch.
  const list =
    !(params instanceof Tensor) && Symbol.iterator in Object(params)
      ? [...(params as Iterable<Tensor>)]
      : [params as Tensor];
  return list.filter((p) => p.grad !== null);
}

/**
 * Scales the gradients of `parameters` in place so that their joint `normType`-norm (2 by
 * default, `Infinity` for the max norm) is at most `maxNorm`. Returns the norm before
 * clipping as a 0-d tensor (PyTorch's clip_grad_norm_).
 *
 * ```ts
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(
  parameters: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
  opts: { errorIfNonfinite?: boolean } = {},
): Tensor {
  const params = withGrads(parameters);
  if (params.length === 0) return full([], 0);
  return noGrad(() => {
    // The norm of the per-parameter norms is the norm of all gradients together.
    const norm = (t: Tensor): Tensor =>
      normType === Infinity
        ? t.max()
        : t
            .pow(normType)
            .sum()
            .pow(1 / normType);
    const dtype = params[0].grad!.dtype;
    const total = tidy(() => norm(stack(params.map((p) => norm(p.grad!.abs()).to(dtype)))));
    // As PyTorch: the coefficient is a tensor of the gradients' dtype, clamped at 1 and applied
    // to every gradient, so nothing is read from the device (async backends check at the read).
    if (opts.errorIfNonfinite) {
      checkOnDevice(
        () => total.isfinite(),
        () =>
          `clipGradNorm_: the total norm of order ${normType} of the gradients is non-finite (NaN or inf)`,
      );
    }
    tidy(() => {
      const coef = div(maxNorm, total.add(1e-6)).clamp(null, 1);
      for (const p of params) keep(p.grad!.mul_(coef.to(p.grad!.device)));
    });
    return total;
  });
}

/** Clamps every gradient of `parameters` into [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  const params = withGrads(parameters);
  noGrad(() =>
    tidy(() => {
      for (const p of params) p.grad!.clamp_(-clipValue, clipValue);
    }),
  );
}
