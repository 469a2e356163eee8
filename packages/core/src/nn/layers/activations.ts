import { noGrad } from '../../autograd/grad-mode.js';
import {
  bool,
  int,
  notInplace,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  type Signature,
  signature,
  str,
} from '../../signature/signature.js';
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/activations.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyFloat } from './conv-repr.js';

// PyTorch's signatures (inspect.signature of torch.nn.ReLU, …): `inplace` is accepted as false
// only (PyTorch's inplace=true overwrites the input; these layers never do).
const inplaceOnly = (owner: string): Signature => signature(owner, [opt('inplace', notInplace)]);
const RELU = signature('ReLU', [opt('inplace', bool)]);
const SILU = inplaceOnly('SiLU');
const MISH = inplaceOnly('Mish');
const SIGMOID = signature('Sigmoid', []);
const TANH = signature('Tanh', []);
const LEAKY_RELU = signature('LeakyReLU', [opt('negativeSlope', num), opt('inplace', bool)]);
const ELU_SIG = signature('ELU', [opt('alpha', num), opt('inplace', notInplace)]);
const GELU_SIG = signature('GELU', [opt('approximate', oneOf('none', 'tanh'))]);
const SOFTPLUS = signature('Softplus', [opt('beta', num), opt('threshold', num)]);
const SOFTMAX = signature('Softmax', [opt('dim', optional(int))]);
const LOG_SOFTMAX = signature('LogSoftmax', [opt('dim', optional(int))]);
const SOFTMIN = signature('Softmin', [opt('dim', optional(int))]);
const SOFTMAX2D = signature('Softmax2d', []);
const SELU_SIG = inplaceOnly('SELU');
const CELU_SIG = signature('CELU', [opt('alpha', num), opt('inplace', notInplace)]);
const LOG_SIGMOID = signature('LogSigmoid', []);
const SOFTSIGN = signature('Softsign', []);
const TANHSHRINK = signature('Tanhshrink', []);
const GLU_SIG = signature('GLU', [opt('dim', int)]);
const PRELU = signature('PReLU', [
  opt('numParameters', int),
  opt('init', num),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** Options of the activations that take PyTorch's `inplace` (false only). */
export interface InplaceOptions {
  /** Must be false: in-place activation is not supported. */
  inplace?: false;
}

/** `torch.nn.ReLU`: max(0, x), elementwise; input of any shape, output of the same shape. */
export class ReLU extends Module {
  /** Write the result into the input (PyTorch's `inplace=True`). */
  readonly inplace: boolean;

  constructor(...rest: PosOrOpts<[inplace: boolean], { inplace?: boolean }>) {
    super();
    this.inplace = RELU.parse<{ inplace?: boolean }>(rest).inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }

  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions extends InplaceOptions {
  /** Slope for x < 0 (default 0.01). */
  negativeSlope?: number;
}

/** `torch.nn.LeakyReLU`: x for x > 0, `negativeSlope·x` otherwise, elementwise. */
export class LeakyReLU extends Module {
  /** Slope for x < 0. */
  readonly negativeSlope: number;
  /** Write the result into the input (PyTorch's `inplace=True`). */
  readonly inplace: boolean;

  constructor(
    ...rest: PosOrOpts<
      [negativeSlope: number, inplace: boolean],
      { negativeSlope?: number; inplace?: boolean }
    >
  ) {
    super();
    const opts = LEAKY_RELU.parse<{ negativeSlope?: number; inplace?: boolean }>(rest);
    this.negativeSlope = opts.negativeSlope ?? 0.01;
    this.inplace = opts.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, this.inplace);
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** Options of {@link ELU}. */
export interface ELUOptions extends InplaceOptions {
  /** Default 1. */
  alpha?: number;
}

/** `torch.nn.ELU`: x for x > 0, `alpha·(exp(x) - 1)` otherwise, elementwise. */
export class ELU extends Module {
  /** The α: the value the output tends to as x → −∞ is −α. */
  readonly alpha: number;

  constructor(...rest: PosOrOpts<[alpha: number, inplace: false], ELUOptions>) {
    super();
    const opts = ELU_SIG.parse<ELUOptions>(rest);
    this.alpha = opts.alpha ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** `torch.nn.GELU`: x·Φ(x), exact (default) or with the tanh approximation, elementwise. */
export class GELU extends Module {
  /** `'none'`: the exact erf form; `'tanh'`: the tanh approximation. */
  readonly approximate: 'none' | 'tanh';

  constructor(...rest: PosOrOpts<[approximate: 'none' | 'tanh'], F.GeluOptions>) {
    super();
    const opts = GELU_SIG.parse<F.GeluOptions>(rest);
    this.approximate = opts.approximate ?? 'none';
  }

  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** `torch.nn.SiLU`: x·sigmoid(x) (Swish), elementwise. */
export class SiLU extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    SILU.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}

/** `torch.nn.Mish`: x·tanh(softplus(x)), elementwise. */
export class Mish extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    MISH.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.mish(input);
  }
}

/** `torch.nn.Sigmoid`: 1 / (1 + exp(-x)), elementwise. */
export class Sigmoid extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    SIGMOID.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** `torch.nn.Tanh`: the hyperbolic tangent, elementwise. */
export class Tanh extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    TANH.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** Options of {@link Softplus}. */
export interface SoftplusOptions {
  /** Default 1. */
  beta?: number;
  /** Above beta·x > threshold the output is x (default 20). */
  threshold?: number;
}

/** `torch.nn.Softplus`: log(1 + exp(βx))/β, linear where βx > threshold; elementwise. */
export class Softplus extends Module {
  /** The β. */
  readonly beta: number;
  /** Above βx > threshold the output is x. */
  readonly threshold: number;

  constructor(...rest: PosOrOpts<[beta: number, threshold: number], SoftplusOptions>) {
    super();
    const opts = SOFTPLUS.parse<SoftplusOptions>(rest);
    this.beta = opts.beta ?? 1;
    this.threshold = opts.threshold ?? 20;
  }

  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Options of {@link Softmax} and {@link LogSoftmax}. */
export interface SoftmaxOptions {
  /** The dim to normalise; null (the default): PyTorch's implicit choice, see {@link implicitSoftmaxDim}. */
  dim?: number | null;
}

/**
 * PyTorch's dim for `Softmax(dim=None)` (deprecated there, but what it computes): 0 for 0-, 1-
 * and 3-D input, else 1 — not the last dim, which differs for 3-D and 4-D input.
 */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/**
 * `torch.nn.Softmax`: softmax along `dim` (PyTorch's implicit dim when it is null); output of
 * the input's shape, each slice along `dim` summing to 1.
 *
 * ```ts
 * const probs = new nn.Softmax(1).forward(logits); // [N, C] -> [N, C]
 * ```
 */
export class Softmax extends Module {
  /** The dim normalised over; null: PyTorch's implicit choice ({@link implicitSoftmaxDim}). */
  readonly dim: number | null;

  constructor(...rest: PosOrOpts<[dim: number | null], SoftmaxOptions>) {
    super();
    this.dim = SOFTMAX.parse<SoftmaxOptions>(rest).dim ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/**
 * `torch.nn.LogSoftmax`: log-softmax along `dim` (PyTorch's implicit dim when it is null); output of the
 * input's shape.
 */
export class LogSoftmax extends Module {
  /** The dim normalised over; null: PyTorch's implicit choice ({@link implicitSoftmaxDim}). */
  readonly dim: number | null;

  constructor(...rest: PosOrOpts<[dim: number | null], SoftmaxOptions>) {
    super();
    this.dim = LOG_SOFTMAX.parse<SoftmaxOptions>(rest).dim ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** Heaviside step: 1 where x > 0, else 0; zero gradient. Not a PyTorch layer: no arguments. */
export class Step extends Module {
  override forward(input: Tensor): Tensor {
    return F.step(input);
  }
}

/**
 * `torch.nn.Softmin`: softmax of −x along `dim` (PyTorch's implicit dim when it is null); output of the
 * input's shape.
 */
export class Softmin extends Module {
  /** The dim normalised over; null: PyTorch's implicit choice ({@link implicitSoftmaxDim}). */
  readonly dim: number | null;

  constructor(...rest: PosOrOpts<[dim: number | null], SoftmaxOptions>) {
    super();
    this.dim = SOFTMIN.parse<SoftmaxOptions>(rest).dim ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/**
 * `torch.nn.Softmax2d`: softmax over the channels (dim −3) of [N, C, H, W] or [C, H, W] input;
 * output of the same shape. Throws for input of other ranks.
 */
export class Softmax2d extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    SOFTMAX2D.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    if (input?.ndim !== 3 && input?.ndim !== 4) {
      throw new Error(
        `Softmax2d: requires a 3D [C, H, W] or 4D [N, C, H, W] tensor as input, got ${input?.ndim}D input [${input?.shape?.join(', ')}]`,
      );
    }
    return F.softmax(input, -3);
  }
}

/** `torch.nn.SELU`: scale·ELU(x, α) with SELU's fixed α ≈ 1.6733 and scale ≈ 1.0507, elementwise. */
export class SELU extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    SELU_SIG.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.selu(input);
  }
}

/** Options of {@link CELU}. */
export interface CELUOptions extends InplaceOptions {
  /** Default 1 (must not be 0). */
  alpha?: number;
}

/** `torch.nn.CELU`: max(0, x) + min(0, α·(exp(x/α) − 1)), elementwise. */
export class CELU extends Module {
  /** The α (not 0). */
  readonly alpha: number;

  constructor(...rest: PosOrOpts<[alpha: number, inplace: false], CELUOptions>) {
    super();
    this.alpha = CELU_SIG.parse<CELUOptions>(rest).alpha ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** `torch.nn.LogSigmoid`: log(sigmoid(x)), without overflow, elementwise. */
export class LogSigmoid extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    LOG_SIGMOID.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

/** `torch.nn.Softsign`: x / (1 + |x|), elementwise. */
export class Softsign extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    SOFTSIGN.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

/** `torch.nn.Tanhshrink`: x − tanh(x), elementwise. */
export class Tanhshrink extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    TANHSHRINK.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

/**
 * `torch.nn.GLU`: gated linear unit along `dim` (default −1), a·sigmoid(b) of the two halves a
 * and b; that dim must have an even size 2n and becomes n in the output.
 */
export class GLU extends Module {
  /** The dim split in halves. */
  readonly dim: number;

  constructor(...rest: PosOrOpts<[dim: number], { dim?: number }>) {
    super();
    this.dim = GLU_SIG.parse<{ dim?: number }>(rest).dim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Options of {@link PReLU}. */
export interface PReLUOptions {
  /** 1 (one slope shared by all channels, the default) or the number of input channels. */
  numParameters?: number;
  /** The slopes' initial value (default 0.25). */
  init?: number;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.PReLU`: x for x > 0, a·x otherwise, with learnable slopes `weight` (one, or one per
 * channel of dim 1), initialised to `init`. Output of the input's shape.
 *
 * ```ts
 * const act = new nn.PReLU(64); // a slope per channel of [N, 64, H, W]
 * ```
 */
export class PReLU extends Module {
  /** The learnable slopes `[numParameters]`. */
  weight: Parameter;
  /** Number of slopes: 1, or the number of input channels. */
  readonly numParameters: number;
  /** The slopes' initial value. */
  readonly init: number;

  constructor(
    ...rest: PosOrOpts<
      [numParameters: number, init: number, device: string, dtype: 'float32' | 'float64'],
      PReLUOptions
    >
  ) {
    super();
    const opts = PRELU.parse<PReLUOptions>(rest);
    this.numParameters = opts.numParameters ?? 1;
    this.init = opts.init ?? 0.25;
    if (this.numParameters < 1)
      throw new Error(`PReLU: numParameters must be a positive integer, got ${this.numParameters}`);
    this.weight = Parameter._adopt(
      full([this.numParameters], this.init, { dtype: opts.dtype ?? 'float32', device: opts.device }),
    );
  }

  /** Refills the slopes with `init`. */
  resetParameters(): void {
    noGrad(() => this.weight.fill_(this.init));
  }

  override forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }

  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
