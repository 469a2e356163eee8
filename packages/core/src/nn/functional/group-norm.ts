// Group normalisation as a composite of differentiable ops (mean, sub, mul, rsqrt), so autograd
// derives its gradient and double backward works on every backend.
import { checkFloat, checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  int,
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

// torch.nn.functional.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05).
const GROUP_NORM = signature('F.groupNorm', [
  req('input', any),
  req('numGroups', int),
  opt('weight', optional(tensor)),
  opt('bias', optional(tensor)),
  opt('eps', num),
]);

/** Options of {@link groupNorm}. */
export interface GroupNormOptions {
  /** Number of groups the channels are split into (must divide C); required, by position or by name. */
  numGroups?: number;
  /** Per-channel scale `[C]` (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none: 0). */
  bias?: Tensor | null;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/**
 * Checks an optional per-channel vector (weight, bias, running stats) of a norm over channel dim 1:
 * a 1-D tensor of `C` entries on the input's device.
 */
export function checkChannelVector(
  op: string,
  what: string,
  t: Tensor | null | undefined,
  C: number,
  x: Tensor,
): void {
  if (t === null || t === undefined) return;
  checkTensor(op, t, what);
  checkSameDevice(op, x, t);
  if (t.ndim !== 1 || t.shape[0] !== C) {
    throw new Error(`${op}: expected ${what} of shape [${C}] for input ${fmt(x.shape)}, got ${fmt(t.shape)}`);
  }
}

/** `t` ([C]) shaped to broadcast over x's channel dim 1: [1, C, 1, ...]. */
export function perChannel(t: Tensor, ndim: number): Tensor {
  return t.reshape([1, t.shape[0], ...new Array<number>(Math.max(ndim - 2, 0)).fill(1)]);
}

/**
 * Group normalisation: splits the C channels of x [N, C, *] into `numGroups` groups and
 * normalises each group of each sample by its mean and biased variance, then applies the
 * optional per-channel `weight` and `bias`.
 *
 * ```ts
 * const y = F.groupNorm(x, 4, gamma, beta); // x [N, 16, H, W]
 * ```
 */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  ...rest: PosOrOpts<[weight: Tensor | null, bias: Tensor | null, eps: number], GroupNormOptions>
): Tensor {
  const a = GROUP_NORM.parse<GroupNormOptions & { input: Tensor; numGroups: number }>([
    input,
    numGroups,
    ...rest,
  ]);
  const op = 'groupNorm';
  const x = checkTensor(op, a.input);
  checkFloat(op, x);
  const G = a.numGroups;
  const eps = a.eps ?? 1e-5;
  if (x.ndim < 2)
    throw new Error(`${op}: expected at least 2 dimensions for input [N, C, *], but got ${fmt(x.shape)}`);
  const [N, C] = x.shape;
  if (!(G >= 1) || C % G !== 0) {
    throw new Error(
      `${op}: expected number of channels in input to be divisible by numGroups, but got input of shape ${fmt(x.shape)} and numGroups=${G}`,
    );
  }
  const spatial = x.shape.slice(2).reduce((p, d) => p * d, 1);
  if (((N * C) / G) * spatial === 1) {
    throw new Error(
      `${op}: expected more than 1 value per channel when training, got input size ${fmt([(N * C) / G, G, ...x.shape.slice(2)])}`,
    );
  }
  checkChannelVector(op, 'weight', a.weight, C, x);
  checkChannelVector(op, 'bias', a.bias, C, x);
  const xs = x.reshape([N, G, -1]);
  const mu = xs.mean(2, true);
  const d = xs.sub(mu);
  const v = d.mul(d).mean(2, true);
  let y = d.mul(v.add(eps).rsqrt()).reshape(x.shape);
  if (a.weight) y = y.mul(perChannel(a.weight, x.ndim));
  if (a.bias) y = y.add(perChannel(a.bias, x.ndim));
  return y;
}
