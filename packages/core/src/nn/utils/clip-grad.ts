import { noGrad } from '../../autograd/grad-mode.js';
import { stack } from '../../ops/join.js';
import { full } from '../../tensor/creation.js';
import { keep, tidy } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';

function withGrads(params: Iterable<Tensor> | Tensor): Tensor[] {
  const list = Symbol.iterator in Object(params) ? [...(params as Iterable<Tensor>)] : [params as Tensor];
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
    const total = tidy(() => {
      const norms = params.map((p) => {
        const g = p.grad!.abs();
        return normType === Infinity
          ? g.max()
          : g
              .pow(normType)
              .sum()
              .pow(1 / normType);
      });
      const all = stack(norms.map((n) => n.to(params[0].grad!.dtype)));
      return normType === Infinity
        ? all.max()
        : all
            .pow(normType)
            .sum()
            .pow(1 / normType);
    });
    const value = total.item();
    if (opts.errorIfNonfinite && !Number.isFinite(value)) {
      throw new Error(
        `clipGradNorm_: the total norm of order ${normType} of the gradients is non-finite (${value})`,
      );
    }
    const coef = maxNorm / (value + 1e-6);
    if (coef < 1) {
      tidy(() => {
        for (const p of params) keep(p.grad!.mul_(coef));
      });
    }
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
