// Instance normalisation: each channel of each sample normalised over its spatial dims, as a
// composite of differentiable ops; the running statistics (when given) are updated as PyTorch's
// instance_norm does — the per-instance statistics averaged over the batch.
import { noGrad } from '../../autograd/grad-mode.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';
import { checkChannelVector, perChannel } from './group-norm.js';

// torch.nn.functional.instance_norm(input, running_mean=None, running_var=None, weight=None,
// bias=None, use_input_stats=True, momentum=0.1, eps=1e-05).
const INSTANCE_NORM = signature('F.instanceNorm', [
  req('input', any),
  opt('runningMean', optional(tensor)),
  opt('runningVar', optional(tensor)),
  opt('weight', optional(tensor)),
  opt('bias', optional(tensor)),
  opt('useInputStats', bool),
  opt('momentum', num),
  opt('eps', num),
]);

/** Options of {@link instanceNorm}. */
export interface InstanceNormOptions {
  /** Running mean `[C]`, updated in place when `useInputStats` (default none). */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance `[C]`, updated in place when `useInputStats` (default none). */
  runningVar?: Tensor | null;
  /** Per-channel scale `[C]` (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none: 0). */
  bias?: Tensor | null;
  /** Normalise with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running-stat update (default 0.1). */
  momentum?: number;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/**
 * Instance normalisation of x [N, C, *spatial]: every (sample, channel) slice normalised by its
 * own mean and biased variance, then the optional per-channel `weight` and `bias`. With
 * `useInputStats` and running statistics given, these are updated in place with the batch
 * average of the instance statistics (the variance unbiased), as PyTorch; with
 * `useInputStats = false` the running statistics normalise instead.
 *
 * ```ts
 * const y = F.instanceNorm(x); // x [N, C, H, W]
 * ```
 */
export function instanceNorm(
  input: Tensor,
  ...rest: PosOrOpts<
    [
      runningMean: Tensor | null,
      runningVar: Tensor | null,
      weight: Tensor | null,
      bias: Tensor | null,
      useInputStats: boolean,
      momentum: number,
      eps: number,
    ],
    InstanceNormOptions
  >
): Tensor {
  const a = INSTANCE_NORM.parse<InstanceNormOptions & { input: Tensor }>([input, ...rest]);
  const op = 'instanceNorm';
  const x = checkTensor(op, a.input);
  checkFloat(op, x);
  const useInputStats = a.useInputStats ?? true;
  const momentum = a.momentum ?? 0.1;
  const eps = a.eps ?? 1e-5;
  const runningMean = a.runningMean ?? null;
  const runningVar = a.runningVar ?? null;
  if (x.ndim < 2)
    throw new Error(`${op}: expected input [N, C, *] with at least 2 dims, got ${fmt(x.shape)}`);
  const C = x.shape[1];
  const spatial = x.shape.slice(2).reduce((p, d) => p * d, 1);
  if (useInputStats && spatial <= 1) {
    throw new Error(
      `${op}: expected more than 1 spatial element when training, got input size ${fmt(x.shape)}`,
    );
  }
  checkChannelVector(op, 'runningMean', runningMean, C, x);
  checkChannelVector(op, 'runningVar', runningVar, C, x);
  checkChannelVector(op, 'weight', a.weight, C, x);
  checkChannelVector(op, 'bias', a.bias, C, x);
  const dims = x.shape.slice(2).map((_, i) => i + 2);
  let y: Tensor;
  if (useInputStats) {
    const mu = x.mean(dims, true);
    const d = x.sub(mu);
    const v = d.mul(d).mean(dims, true);
    noGrad(() => {
      // The batch mean of each channel's instance statistics ([N, C] -> [C]).
      if (runningMean) {
        const batch = mu.reshape([x.shape[0], C]).mean(0);
        runningMean.copy_(runningMean.mul(1 - momentum).add(batch.mul(momentum)));
      }
      if (runningVar) {
        const batch = v
          .reshape([x.shape[0], C])
          .mul(spatial / (spatial - 1))
          .mean(0);
        runningVar.copy_(runningVar.mul(1 - momentum).add(batch.mul(momentum)));
      }
    });
    y = d.mul(v.add(eps).rsqrt());
  } else {
    if (!runningMean || !runningVar) {
      throw new Error(`${op}: runningMean and runningVar must be given when useInputStats is false`);
    }
    y = x.sub(perChannel(runningMean, x.ndim)).mul(perChannel(runningVar, x.ndim).add(eps).rsqrt());
  }
  if (a.weight) y = y.mul(perChannel(a.weight, x.ndim));
  if (a.bias) y = y.add(perChannel(a.bias, x.ndim));
  return y;
}
