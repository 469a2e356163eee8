import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { where } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { inplace as inplaceOp } from '../../ops/inplace.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
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
  tensor,
  unsupported,
} from '../../signature/signature.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { piecewiseLinear } from './piecewise-linear.js';

// torch.nn.functional's activations: inspect.signature where it works; gelu and softplus are
// C++ builtins (documented: gelu(input, *, approximate='none'), softplus(input, beta=1, threshold=20)).
const input = req('input', any);
const inplace = opt(
  'inplace',
  onlyDefault(false, 'in-place activations are not supported; use the returned tensor'),
);
// relu and leakyRelu take inplace=true as PyTorch (the result is written into the input, with
// the in-place autograd rules of ops/inplace.ts); the others refuse it.
const inplaceAllowed = opt('inplace', bool);
const RELU = signature('F.relu', [input, inplaceAllowed]);
const SILU = signature('F.silu', [input, inplace]);
const MISH = signature('F.mish', [input, inplace]);
const LEAKY_RELU = signature('F.leakyRelu', [input, opt('negativeSlope', num), inplaceAllowed]);
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
const SOFTMIN = signature('F.softmin', softmaxParams);
const SELU = signature('F.selu', [input, inplace]);
const CELU = signature('F.celu', [input, opt('alpha', num), inplace]);
// logsigmoid and prelu are C++ builtins (documented logsigmoid(input), prelu(input, weight)).
const LOGSIGMOID = signature('F.logsigmoid', [input]);
const SOFTSIGN = signature('F.softsign', [input]);
const TANHSHRINK = signature('F.tanhshrink', [input]);
const GLU = signature('F.glu', [input, opt('dim', int)]);
const PRELU = signature('F.prelu', [input, req('weight', tensor)]);

type Inplace = PosOrOpts<[inplace: false], { inplace?: false }>;
type SoftmaxRest = PosOrOpts<[dim: number], { dim?: number }>;

function floatInput(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'int32' || x.dtype === 'int64' || x.dtype === 'uint8' || x.dtype === 'bool')
    return cast(x, 'float32');
  checkFloat(op, x);
  return x;
}

/** max(0, x); with `inplace` the result is written into `x` and `x` is returned (PyTorch's relu_). */
export function relu(x: Tensor, ...rest: PosOrOpts<[inplace: boolean], { inplace?: boolean }>): Tensor {
  const a = RELU.parse<{ input: Tensor; inplace?: boolean }>([x, ...rest]);
  if (a.inplace) return checkTensor('relu', a.input).relu_();
  return floatInput('relu', a.input).relu();
}

/** x for x > 0, `negativeSlope * x` otherwise. */
export function leakyRelu(
  x: Tensor,
  ...rest: PosOrOpts<[negativeSlope: number, inplace: boolean], { negativeSlope?: number; inplace?: boolean }>
): Tensor {
  const a = LEAKY_RELU.parse<{ input: Tensor; negativeSlope?: number; inplace?: boolean }>([x, ...rest]);
  x = a.input;
  const negativeSlope = a.negativeSlope ?? 0.01;
  if (a.inplace) {
    checkFloat('leakyRelu', checkTensor('leakyRelu', x));
    return inplaceOp('leakyRelu_', x, (self) => leakyRelu(self, negativeSlope));
  }
  const t = floatInput('leakyRelu', x);
  return piecewiseLinear(
    'LeakyRelu',
    t,
    (v) => where(v.gt(0), v, v.mul(negativeSlope)),
    (g, v) => where(v.gt(0), g, g.mul(negativeSlope)),
  );
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

/** Throws unless `x` is a floating-point tensor (PyTorch's kernels of these refuse the rest). */
function floatOnly(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  checkFloat(op, x);
  return x;
}

/** Integer inputs become float32 (PyTorch's composites of these promote them); bool is refused. */
function promoted(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'bool')
    throw new Error(`${op}: bool input ${fmtShape(x.shape)} is not supported (as in PyTorch)`);
  return floatInput(op, x);
}

/** SELU's constants (Klambauer et al. 2017), as PyTorch's. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Shared by selu and celu: PyTorch's elu kernel with its scale and input scale. */
function scaledElu(t: Tensor, alpha: number, scale: number, inputScale: number): Tensor {
  // The negative branch (taken at x = 0, as PyTorch's backward does) through clamp(max 0): finite
  // in the discarded region, and clamp passes the gradient at 0.
  const neg = t
    .clamp(null, 0)
    .mul(inputScale)
    .expm1()
    .mul(alpha * scale);
  return where(t.gt(0), scale === 1 ? t : t.mul(scale), neg);
}

/** scale·(max(0, x) + min(0, α·(exp(x) − 1))) with PyTorch's fixed α and scale. */
export function selu(x: Tensor, ...rest: Inplace): Tensor {
  x = SELU.parse<{ input: Tensor }>([x, ...rest]).input;
  return scaledElu(floatOnly('selu', x), SELU_ALPHA, SELU_SCALE, 1);
}

/** max(0, x) + min(0, α·(exp(x/α) − 1)); α must not be 0. */
export function celu(
  x: Tensor,
  ...rest: PosOrOpts<[alpha: number, inplace: false], { alpha?: number; inplace?: false }>
): Tensor {
  const a = CELU.parse<{ input: Tensor; alpha?: number }>([x, ...rest]);
  const alpha = a.alpha ?? 1;
  const t = floatOnly('celu', a.input);
  if (alpha === 0) throw new Error('celu: alpha cannot be 0 (PyTorch: ZeroDivisionError)');
  return scaledElu(t, alpha, 1, 1 / alpha);
}

/** log(sigmoid(x)) = −softplus(−x), computed without overflow; gradient sigmoid(−x). */
export function logsigmoid(x: Tensor): Tensor {
  x = LOGSIGMOID.parse<{ input: Tensor }>([x]).input;
  return softplusStable(floatOnly('logsigmoid', x).neg()).neg();
}

/** x / (1 + |x|) (PyTorch's own composite; integer input gives float32). */
export function softsign(x: Tensor): Tensor {
  const t = promoted('softsign', SOFTSIGN.parse<{ input: Tensor }>([x]).input);
  return t.div(t.abs().add(1));
}

/** x − tanh(x) (PyTorch's own composite; integer input gives float32). */
export function tanhshrink(x: Tensor): Tensor {
  const t = promoted('tanhshrink', TANHSHRINK.parse<{ input: Tensor }>([x]).input);
  return t.sub(t.tanh());
}

/** softmax(−x) along `dim` (required here: PyTorch's implicit dim is deprecated). */
export function softmin(x: Tensor, ...rest: SoftmaxRest): Tensor {
  const a = SOFTMIN.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  return softmaxOp(floatOnly('softmin', a.input).neg(), a.dim);
}

/**
 * Gated linear unit: splits `dim` into halves a and b, returns a·sigmoid(b). The size of
 * `dim` must be even.
 */
export function glu(x: Tensor, ...rest: PosOrOpts<[dim: number], { dim?: number }>): Tensor {
  const a = GLU.parse<{ input: Tensor; dim?: number }>([x, ...rest]);
  const t = floatOnly('glu', a.input);
  if (t.ndim === 0) throw new Error('glu: does not support scalars because halving size must be even');
  const dim = a.dim ?? -1;
  if (dim < -t.ndim || dim >= t.ndim)
    throw new Error(`glu: dim ${dim} is out of range for input ${fmtShape(t.shape)}`);
  const d = dim < 0 ? dim + t.ndim : dim;
  const n = t.shape[d];
  if (n % 2 !== 0)
    throw new Error(
      `glu: halving dimension must be even, but dimension ${d} is size ${n} (input ${fmtShape(t.shape)})`,
    );
  return t.narrow(d, 0, n / 2).mul(t.narrow(d, n / 2, n / 2).sigmoid());
}

/**
 * x where x > 0, else weight·x. `weight` has one element (shared) or one per channel (dim 1
 * of the input; a 1-D input has one channel), as PyTorch's.
 */
export function prelu(x: Tensor, ...rest: PosOrOpts<[weight: Tensor], { weight?: Tensor }>): Tensor {
  const a = PRELU.parse<{ input: Tensor; weight: Tensor }>([x, ...rest]);
  const t = floatOnly('prelu', a.input);
  const w = a.weight;
  checkTensor('prelu', w, 'weight');
  if (w.ndim > 1)
    throw new Error(
      `prelu: expected weight to be a scalar or 1-D tensor, but got ndim = ${w.ndim} (${fmtShape(w.shape)})`,
    );
  if (w.dtype !== t.dtype)
    throw new Error(`prelu: weight is ${w.dtype} but input is ${t.dtype} (PyTorch requires the same dtype)`);
  const n = w.numel();
  let wb: Tensor;
  if (n === 1) wb = w.reshape([]);
  else {
    const channels = t.ndim >= 2 ? t.shape[1] : 1;
    if (t.ndim === 0 || n !== channels) {
      throw new Error(
        `prelu: mismatch of parameter numbers and input channel size: weight has ${n} elements, input ${fmtShape(t.shape)} has ${channels} channel(s) (dim 1)`,
      );
    }
    wb = w.reshape([1, n, ...new Array<number>(t.ndim - 2).fill(1)]);
  }
  return where(t.gt(0), t, wb.mul(t));
}
