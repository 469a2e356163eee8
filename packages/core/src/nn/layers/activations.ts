import {
  int,
  notInplace,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  type Signature,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/activations.js';
import { Module } from '../module.js';

// PyTorch's signatures (inspect.signature of torch.nn.ReLU, …): `inplace` is accepted as false
// only (PyTorch's inplace=true overwrites the input; these layers never do).
const inplaceOnly = (owner: string): Signature => signature(owner, [opt('inplace', notInplace)]);
const RELU = inplaceOnly('ReLU');
const SILU = inplaceOnly('SiLU');
const MISH = inplaceOnly('Mish');
const SIGMOID = signature('Sigmoid', []);
const TANH = signature('Tanh', []);
const LEAKY_RELU = signature('LeakyReLU', [opt('negativeSlope', num), opt('inplace', notInplace)]);
const ELU_SIG = signature('ELU', [opt('alpha', num), opt('inplace', notInplace)]);
const GELU_SIG = signature('GELU', [opt('approximate', oneOf('none', 'tanh'))]);
const SOFTPLUS = signature('Softplus', [opt('beta', num), opt('threshold', num)]);
const SOFTMAX = signature('Softmax', [opt('dim', optional(int))]);
const LOG_SOFTMAX = signature('LogSoftmax', [opt('dim', optional(int))]);

/** Options of the activations that take PyTorch's `inplace` (false only). */
export interface InplaceOptions {
  /** Must be false: in-place activation is not supported. */
  inplace?: false;
}

/** max(0, x). */
export class ReLU extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    RELU.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions extends InplaceOptions {
  /** Slope for x < 0 (default 0.01). */
  negativeSlope?: number;
}

/** x for x > 0, `negativeSlope·x` otherwise. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(...rest: PosOrOpts<[negativeSlope: number, inplace: false], LeakyReLUOptions>) {
    super();
    const opts = LEAKY_RELU.parse<LeakyReLUOptions>(rest);
    this.negativeSlope = opts.negativeSlope ?? 0.01;
  }

  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

/** Options of {@link ELU}. */
export interface ELUOptions extends InplaceOptions {
  /** Default 1. */
  alpha?: number;
}

/** x for x > 0, `alpha·(exp(x) - 1)` otherwise. */
export class ELU extends Module {
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

/** x·Φ(x), exact (default) or with the tanh approximation. */
export class GELU extends Module {
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

/** x·sigmoid(x) (Swish). */
export class SiLU extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    SILU.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}

/** x·tanh(softplus(x)). */
export class Mish extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    MISH.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.mish(input);
  }
}

/** 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  constructor(...rest: PosOrOpts<[], Record<string, never>>) {
    super();
    SIGMOID.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** Hyperbolic tangent. */
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

/** log(1 + exp(βx))/β, linear where βx > threshold. */
export class Softplus extends Module {
  readonly beta: number;
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

/** Softmax along `dim` (PyTorch's implicit dim when it is null). */
export class Softmax extends Module {
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

/** Log-softmax along `dim` (PyTorch's implicit dim when it is null). */
export class LogSoftmax extends Module {
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
