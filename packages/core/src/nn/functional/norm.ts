// Normalisation: batch norm (batch statistics in training, running statistics in eval) and
// layer norm, composed from differentiable tensor ops so autograd derives their gradients.
import { noGrad } from '../../autograd/grad-mode.js';
import { add, mul, sub } from '../../ops/binary.js';
import { rsqrt } from '../../ops/pointwise.js';
import { mean } from '../../ops/reduce.js';
import { reshape } from '../../ops/shape.js';
import { checkFloat, checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  either,
  int,
  num,
  nums,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// torch.nn.functional.batch_norm and layer_norm (inspect.signature).
const BATCH_NORM = signature('F.batchNorm', [
  req('input', any),
  req('runningMean', optional(tensor)),
  req('runningVar', optional(tensor)),
  opt('weight', optional(tensor)),
  opt('bias', optional(tensor)),
  opt('training', bool),
  opt('momentum', num),
  opt('eps', num),
]);
const LAYER_NORM = signature('F.layerNorm', [
  req('input', any),
  req('normalizedShape', either(int, nums)),
  opt('weight', optional(tensor)),
  opt('bias', optional(tensor)),
  opt('eps', num),
]);

/** Options of {@link batchNorm}: the parameters after the running statistics, by name. */
export interface BatchNormOptions {
  /** Running mean `[C]`: normalises in eval mode, updated in place in training mode. */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance `[C]`: normalises in eval mode, updated in place in training mode. */
  runningVar?: Tensor | null;
  /** Per-channel scale `[C]` (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none: 0). */
  bias?: Tensor | null;
  /** Batch statistics (and running-stat updates) when true (default false). */
  training?: boolean;
  /** Weight of the batch statistics in the running-stat update (default 0.1). */
  momentum?: number;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** The trailing dims normalised over; required, by position or by name. */
  normalizedShape?: number | readonly number[];
  /** Elementwise scale of shape `normalizedShape` (default none: 1). */
  weight?: Tensor | null;
  /** Elementwise shift of shape `normalizedShape` (default none: 0). */
  bias?: Tensor | null;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

function checkVector(op: string, what: string, t: Tensor | null | undefined, C: number, x: Tensor): void {
  if (t === null || t === undefined) return;
  checkTensor(op, t, what);
  checkSameDevice(op, x, t);
  if (t.ndim !== 1 || t.shape[0] !== C) {
    throw new Error(`${op}: expected ${what} of shape [${C}] for input ${fmt(x.shape)}, got ${fmt(t.shape)}`);
  }
}

/**
 * Batch normalisation over the channel dim 1 of x [N, C], [N, C, L] or [N, C, H, W].
 * In training, normalises with the batch's mean and biased variance and, when running stats
 * are given, updates them in place: `running = (1 − momentum)·running + momentum·batch`
 * (the variance unbiased, as PyTorch). In eval, normalises with the running stats.
 *
 * ```ts
 * const y = F.batchNorm(x, runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...rest: PosOrOpts<
    [weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number],
    BatchNormOptions
  >
): Tensor {
  const a = BATCH_NORM.parse<BatchNormOptions & { input: Tensor }>([input, runningMean, runningVar, ...rest]);
  const x = a.input;
  runningMean = a.runningMean ?? null;
  runningVar = a.runningVar ?? null;
  const weight = a.weight ?? null;
  const bias = a.bias ?? null;
  const training = a.training ?? false;
  const momentum = a.momentum ?? 0.1;
  const eps = a.eps ?? 1e-5;
  const op = 'batchNorm';
  checkTensor(op, x);
  checkFloat(op, x);
  if (x.ndim < 2)
    throw new Error(`${op}: expected input [N, C, ...] with at least 2 dims, got ${fmt(x.shape)}`);
  const C = x.shape[1];
  checkVector(op, 'runningMean', runningMean, C, x);
  checkVector(op, 'runningVar', runningVar, C, x);
  checkVector(op, 'weight', weight, C, x);
  checkVector(op, 'bias', bias, C, x);
  const dims = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const n = x.numel() / Math.max(C, 1);
  let y: Tensor;
  if (training) {
    if (n <= 1)
      throw new Error(
        `${op}: expected more than 1 value per channel when training, got input ${fmt(x.shape)}`,
      );
    const mu = mean(x, dims, true);
    const d = sub(x, mu);
    const v = mean(mul(d, d), dims, true);
    noGrad(() => {
      if (runningMean)
        runningMean.copy_(add(mul(runningMean, 1 - momentum), mul(reshape(mu, [C]), momentum)));
      if (runningVar) {
        const unbiased = mul(reshape(v, [C]), n / (n - 1));
        runningVar.copy_(add(mul(runningVar, 1 - momentum), mul(unbiased, momentum)));
      }
    });
    y = mul(d, rsqrt(add(v, eps)));
  } else {
    if (!runningMean || !runningVar) {
      throw new Error(
        `${op}: runningMean and runningVar must be given in evaluation mode (training = false)`,
      );
    }
    y = mul(sub(x, reshape(runningMean, bshape)), rsqrt(add(reshape(runningVar, bshape), eps)));
  }
  if (weight) y = mul(y, reshape(weight, bshape));
  if (bias) y = add(y, reshape(bias, bshape));
  return y;
}

/**
 * Layer normalisation over the trailing dims `normalizedShape` of x (biased variance), with
 * optional elementwise affine `weight` and `bias` of that shape.
 *
 * ```ts
 * const y = F.layerNorm(x, [512], gamma, beta, 1e-5);
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  ...rest: PosOrOpts<[weight: Tensor | null, bias: Tensor | null, eps: number], LayerNormOptions>
): Tensor {
  const a = LAYER_NORM.parse<
    LayerNormOptions & { input: Tensor; normalizedShape: number | readonly number[] }
  >([input, normalizedShape, ...rest]);
  const x = a.input;
  normalizedShape = a.normalizedShape;
  const weight = a.weight ?? null;
  const bias = a.bias ?? null;
  const eps = a.eps ?? 1e-5;
  const op = 'layerNorm';
  checkTensor(op, x);
  checkFloat(op, x);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || !ns.every((d, i) => d === tail[i])) {
    throw new Error(
      `${op}: normalizedShape ${fmt(ns)} must match the last dims of input ${fmt(x.shape)} (expected input [*, ${ns.join(', ')}])`,
    );
  }
  for (const [what, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t === null || t === undefined) continue;
    checkTensor(op, t, what);
    checkSameDevice(op, x, t);
    if (t.ndim !== k || !t.shape.every((d, i) => d === ns[i])) {
      throw new Error(`${op}: expected ${what} of shape ${fmt(ns)}, got ${fmt(t.shape)}`);
    }
  }
  const dims = ns.map((_, i) => x.ndim - k + i);
  const mu = mean(x, dims, true);
  const d = sub(x, mu);
  const v = mean(mul(d, d), dims, true);
  let y = mul(d, rsqrt(add(v, eps)));
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}
