// Root-mean-square normalisation. Not in PyTorch 1.13: this follows PyTorch 2.4's F.rms_norm
// (rms_norm_composite in aten/src/ATen/native/layer_norm.cpp): eps defaults to the machine
// epsilon of the compute type (float32's for float16/bfloat16/float32 input, which compute in
// float32; float64's for float64), and the result is cast back to the input's dtype once.
import { cast } from '../../ops/convert.js';
import { checkFloat, checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
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
import { isHalf } from '../../tensor/half.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// torch.nn.functional.rms_norm (2.4): rms_norm(input, normalized_shape, weight=None, eps=None).
const RMS_NORM = signature('F.rmsNorm', [
  req('input', any),
  req('normalizedShape', either(int, nums)),
  opt('weight', optional(tensor)),
  opt('eps', optional(num)),
]);

/** Options of {@link rmsNorm}. */
export interface RMSNormOptions {
  /** The trailing dims the mean square is taken over; required, by position or by name. */
  normalizedShape?: number | readonly number[];
  /** Elementwise scale of shape `normalizedShape` (default none: 1). */
  weight?: Tensor | null;
  /** Added to the mean square; null (default): the machine epsilon of the compute dtype. */
  eps?: number | null;
}

/** 2^-23, float32's machine epsilon (torch.finfo(torch.float32).eps). */
const FLOAT32_EPS = 2 ** -23;
/** 2^-52, float64's (Number.EPSILON). */
const FLOAT64_EPS = Number.EPSILON;

/**
 * y = x / √(mean(x²) + eps) · weight, the mean over the trailing dims `normalizedShape` (PyTorch
 * 2.4's definition; PyTorch 1.13 has no rms_norm).
 *
 * ```ts
 * const y = F.rmsNorm(x, [512], gamma); // x [..., 512]
 * ```
 */
export function rmsNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  ...rest: PosOrOpts<[weight: Tensor | null, eps: number | null], RMSNormOptions>
): Tensor {
  const a = RMS_NORM.parse<RMSNormOptions & { input: Tensor; normalizedShape: number | readonly number[] }>([
    input,
    normalizedShape,
    ...rest,
  ]);
  const op = 'rmsNorm';
  const x = checkTensor(op, a.input);
  checkFloat(op, x);
  const ns = typeof a.normalizedShape === 'number' ? [a.normalizedShape] : [...a.normalizedShape];
  const k = ns.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || !ns.every((d, i) => d === tail[i])) {
    throw new Error(
      `${op}: normalizedShape ${fmt(ns)} must match the last dims of input ${fmt(x.shape)} (expected input [*, ${ns.join(', ')}])`,
    );
  }
  const weight = a.weight ?? null;
  if (weight) {
    checkTensor(op, weight, 'weight');
    checkSameDevice(op, x, weight);
    if (weight.ndim !== k || !weight.shape.every((d, i) => d === ns[i]))
      throw new Error(`${op}: expected weight of shape ${fmt(ns)}, got ${fmt(weight.shape)}`);
  }
  // float16/bfloat16 compute in float32 and round once at the end, as PyTorch's upcast.
  const half = isHalf(x.dtype);
  const xc = half ? cast(x, 'float32') : x;
  const eps = a.eps ?? (xc.dtype === 'float64' ? FLOAT64_EPS : FLOAT32_EPS);
  const dims = ns.map((_, i) => x.ndim - k + i);
  let y = xc.mul(xc.pow(2).mean(dims, true).add(eps).rsqrt());
  if (weight) y = y.mul(half ? cast(weight, 'float32') : weight);
  return half ? cast(y, x.dtype) : y;
}
