import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { where } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import {
  any,
  int,
  kw,
  num,
  oneOf,
  onlyDefault,
  opt,
  type ParamSpec,
  type PosOrOpts,
  req,
  signature,
  unsupported,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';

// torch.nn.functional's activations: inspect.signature where it works; gelu and softplus are
// C++ builtins (documented: gelu(input, *, approximate='none'), softplus(input, beta=1, threshold=20)).
const input = req('input', any);
const inplace = opt(
  'inplace',
  onlyDefault(false, 'in-place activations are not supported; use the returned tensor'),
);
const RELU = signature('F.relu', [input, inplace]);
const SILU = signature('F.silu', [input, inplace]);
const MISH = signature('F.mish', [input, inplace]);
const LEAKY_RELU = signature('F.leakyRelu', [input, opt('negativeSlope', num), inplace]);
const ELU = signature('F.elu', [input, opt('alpha', num), inplace]);
const GELU = signature('F.gelu', [input, kw('approximate', oneOf('none', 'tanh'))]);
const SOFTPLUS = signature('F.softplus', [input, opt('beta', num), opt('threshold', num)]);
const softmaxParams: ParamSpec[] = [
  input,
  // Optional in PyTorch (a deprecated implicit choice); required here.
  req('dim', int),
  unsupported('_stacklevel', "it only sets the stack level of PyTorch's deprecation warning"),
  unsupported('dtype', 'cast the input first (x.to(dtype))'),
];
const SOFTMAX = signature('F.softmax', softmaxParams);
const LOG_SOFTMAX = signature('F.logSoftmax', softmaxParams);

type Inplace = PosOrOpts<[inplace: false], { inplace?: false }>;
type SoftmaxRest = PosOrOpts<[dim: number], { dim?: number }>;

function floatInput(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'int32' || x.dtype === 'int64' || x.dtype === 'uint8' || x.dtype === 'bool')
    return cast(x, 'float32');
  checkFloat(op, x);
  return x;
}

/** max(0, x). */
export function relu(x: Tensor, ...rest: Inplace): Tensor {
  x = RELU.parse<{ input: Tensor }>([x, ...rest]).input;
  return floatInput('relu', x).relu();
}

/** x for x > 0, `negativeSlope * x` otherwise. */
export function leakyRelu(
  x: Tensor,
  ...rest: PosOrOpts<[negativeSlope: number, inplace: false], { negativeSlope?: number; inplace?: false }>
): Tensor {
  const a = LEAKY_RELU.parse<{ input: Tensor; negativeSlope?: number }>([x, ...rest]);
  x = a.input;
  const negativeSlope = a.negativeSlope ?? 0.01;
  const t = floatInput('leakyRelu', x);
  return where(t.gt(0), t, t.mul(negativeSlope));
}

/** x for x > 0, `alpha * (exp(x) - 1)` otherwise. */
export function elu(
  x: Tensor,
  ...rest: PosOrOpts<[alpha: number, inplace: false], { alpha?: number; inplace?: false }>
): Tensor {
  const a = ELU.parse<{ input: Tensor; alpha?: number }>([x, ...rest]);
  x = a.input;
  const alpha = a.alpha ?? 1;
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
export function gelu(x: Tensor, ...rest: [] | [GeluOptions]): Tensor {
  const a = GELU.parse<GeluOptions & { input: Tensor }>([x, ...rest]);
  const t = floatInput('gelu', a.input);
  const approximate = a.approximate ?? 'none';
  if (approximate === 'tanh') {
    const inner = t.add(t.mul(t).mul(t).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return t.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== 'none')
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${approximate}'`);
  return t.mul(0.5).mul(t.mul(Math.SQRT1_2).erf().add(1));
}

/** x·sigmoid(x) (Swish). */
export function silu(x: Tensor, ...rest: Inplace): Tensor {
  x = SILU.parse<{ input: Tensor }>([x, ...rest]).input;
  const t = floatInput('silu', x);
  return t.mul(t.sigmoid());
}

/** x·tanh(softplus(x)). */
export function mish(x: Tensor, ...rest: Inplace): Tensor {
  x = MISH.parse<{ input: Tensor }>([x, ...rest]).input;
  const t = floatInput('mish', x);
  return t.mul(softplusImpl(t, 1, 20).tanh());
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
export function softplus(
  x: Tensor,
  ...rest: PosOrOpts<[beta: number, threshold: number], { beta?: number; threshold?: number }>
): Tensor {
  const a = SOFTPLUS.parse<{ input: Tensor; beta?: number; threshold?: number }>([x, ...rest]);
  return softplusImpl(floatInput('softplus', a.input), a.beta ?? 1, a.threshold ?? 20);
}

function softplusImpl(t: Tensor, beta: number, threshold: number): Tensor {
  const bx = noGrad(() => t.mul(beta));
  const linear = noGrad(() => bx.gt(threshold));
  const y = noGrad(() => where(linear, t, softplusStable(bx).div(beta)));
  return record('SoftplusBackward', y, [t], (g) => [where(linear, g, g.mul(t.mul(beta).sigmoid()))], [t]);
}

/** Softmax along `dim`. */
export function softmax(x: Tensor, ...rest: SoftmaxRest): Tensor {
  const a = SOFTMAX.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  return softmaxOp(floatInput('softmax', a.input), a.dim);
}

/** Log-softmax along `dim` (stable: x - logsumexp(x)). */
export function logSoftmax(x: Tensor, ...rest: SoftmaxRest): Tensor {
  const a = LOG_SOFTMAX.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  return logSoftmaxOp(floatInput('logSoftmax', a.input), a.dim);
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
