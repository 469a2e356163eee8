import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { where } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import type { Tensor } from '../../tensor/tensor.js';

function floatInput(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'int32' || x.dtype === 'bool') return cast(x, 'float32');
  checkFloat(op, x);
  return x;
}

/** max(0, x). */
export function relu(x: Tensor): Tensor {
  return floatInput('relu', x).relu();
}

/** x for x > 0, `negativeSlope * x` otherwise. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const t = floatInput('leakyRelu', x);
  return where(t.gt(0), t, t.mul(negativeSlope));
}

/** x for x > 0, `alpha * (exp(x) - 1)` otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const t = floatInput('elu', x);
  // clamp(max 0) keeps exp() finite in the discarded branch (inf * 0 would poison the gradient)
  // and, unlike minimum(x, 0), passes the whole gradient at x = 0 (PyTorch: alpha there).
  return where(t.gt(0), t, t.clamp(null, 0).expm1().mul(alpha));
}

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** `'none'`: exact x·Φ(x) with erf; `'tanh'`: the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/** Gaussian error linear unit: x·Φ(x), exact (default) or with the tanh approximation. */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  const t = floatInput('gelu', x);
  const approximate = opts.approximate ?? 'none';
  if (approximate === 'tanh') {
    const inner = t.add(t.mul(t).mul(t).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return t.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== 'none')
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${approximate}'`);
  return t.mul(0.5).mul(t.mul(Math.SQRT1_2).erf().add(1));
}

/** x·sigmoid(x) (Swish). */
export function silu(x: Tensor): Tensor {
  const t = floatInput('silu', x);
  return t.mul(t.sigmoid());
}

/** x·tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  const t = floatInput('mish', x);
  return t.mul(softplus(t).tanh());
}

/** 1 / (1 + exp(-x)). */
export function sigmoid(x: Tensor): Tensor {
  return floatInput('sigmoid', x).sigmoid();
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return floatInput('tanh', x).tanh();
}

/** log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)), gradient sigmoid(x). */
export function softplusStable(x: Tensor): Tensor {
  const y = noGrad(() => x.maximum(0).add(x.abs().neg().exp().log1p()));
  return record('SoftplusBackward', y, [x], (g) => [g.mul(x.sigmoid())], [x]);
}

/**
 * log(1 + exp(βx)) / β, and x itself where βx > `threshold` (PyTorch's linearisation).
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const t = floatInput('softplus', x);
  const bx = noGrad(() => t.mul(beta));
  const linear = noGrad(() => bx.gt(threshold));
  const y = noGrad(() => where(linear, t, softplusStable(bx).div(beta)));
  return record('SoftplusBackward', y, [t], (g) => [where(linear, g, g.mul(t.mul(beta).sigmoid()))], [t]);
}

/** Softmax along `dim`. */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxOp(floatInput('softmax', x), dim);
}

/** Log-softmax along `dim` (stable: x - logsumexp(x)). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return logSoftmaxOp(floatInput('logSoftmax', x), dim);
}

/**
 * Heaviside step: 1 where x > 0, else 0, in x's float dtype. Its gradient is zero
 * everywhere (so it can sit in a graph, as in a classic perceptron, but passes nothing back).
 */
export function step(x: Tensor): Tensor {
  const t = floatInput('step', x);
  const y = cast(t.gt(0), t.dtype);
  return record('StepBackward', y, [t], (g) => [g.mul(0)]);
}
