// Convolution layers: Conv1d, Conv2d and ConvTranspose2d with PyTorch's parameters, default
// initialisation, state-dict layout and repr.

import {
  bool,
  either,
  int,
  intOrTuple,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { conv1d, conv2d } from '../functional/conv.js';
import { type Pair, pair, single } from '../functional/conv-args.js';
import { convTranspose2d } from '../functional/conv-transpose.js';
import { type PadMode, pad } from '../functional/pad.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { outputPaddingFor, type TransposedGeometry } from './conv-output-padding.js';
import { pyTuple } from './conv-repr.js';
import { resetWeightAndBias } from './default-init.js';
import { empty } from './empty.js';

// PyTorch's signatures (inspect.signature of torch.nn.Conv1d/Conv2d/ConvTranspose2d).
export const CONV_TAIL = (transposed: boolean) =>
  transposed
    ? [
        opt('stride', intOrTuple),
        opt('padding', intOrTuple),
        opt('outputPadding', intOrTuple),
        opt('groups', int),
        opt('bias', bool),
        opt('dilation', intOrTuple),
        opt('paddingMode', oneOf('zeros')),
      ]
    : [
        opt('stride', intOrTuple),
        opt('padding', either(intOrTuple, oneOf('same', 'valid'))),
        opt('dilation', intOrTuple),
        opt('groups', int),
        opt('bias', bool),
        opt('paddingMode', oneOf('zeros', 'reflect', 'replicate', 'circular')),
      ];
export const CONV_HEAD = [req('inChannels', int), req('outChannels', int), req('kernelSize', intOrTuple)];
export const CONV_DEVICE = [opt('device', str), opt('dtype', oneOf('float32', 'float64'))];
const CONV1D = signature('Conv1d', [...CONV_HEAD, ...CONV_TAIL(false), ...CONV_DEVICE]);
const CONV2D = signature('Conv2d', [...CONV_HEAD, ...CONV_TAIL(false), ...CONV_DEVICE]);
const CONV_TRANSPOSE2D = signature('ConvTranspose2d', [...CONV_HEAD, ...CONV_TAIL(true), ...CONV_DEVICE]);

/** The required parameters, which may also come by name in the options object. */
export interface ConvRequired {
  inChannels: number;
  outChannels: number;
  kernelSize: number | readonly number[];
}

/** The optional positionals of Conv1d/Conv2d after kernelSize, in PyTorch's order. */
export type ConvRest<P, Pad> = [
  stride: P,
  padding: Pad,
  dilation: P,
  groups: number,
  bias: boolean,
  paddingMode: PaddingMode,
  device: string,
  dtype: 'float32' | 'float64',
];

/** How a convolution layer pads: PyTorch's `padding_mode`. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options shared by the convolution layers. */
export interface ConvCommonOptions {
  /** Blocked connections: input and output channels split into `groups`, both divisible by it (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions extends ConvCommonOptions {
  /** Step of the window (default 1). */
  stride?: Pair;
  /**
   * Padding added to each side (default 0), or `'same'` (output size = input size; stride 1 only)
   * / `'valid'` (none); filled as `paddingMode` says.
   */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** How the padding is filled: `'zeros'` (the default), `'reflect'`, `'replicate'` or `'circular'`. */
  paddingMode?: PaddingMode;
}

/** Options of {@link Conv1d}. */
export interface Conv1dLayerOptions extends ConvCommonOptions {
  /** Step of the window (default 1). */
  stride?: number | readonly number[];
  /**
   * Padding added to each side (default 0), or `'same'` (output size = input size; stride 1 only)
   * / `'valid'` (none); filled as `paddingMode` says.
   */
  padding?: number | readonly number[] | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** How the padding is filled: `'zeros'` (the default), `'reflect'`, `'replicate'` or `'circular'`. */
  paddingMode?: PaddingMode;
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends ConvCommonOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** `dilation·(k−1)−padding` zeros are added to each side of the input (default 0). */
  padding?: Pair;
  /**
   * Extra size added to one side of each output dim, to pick among the sizes a strided conv maps from
   * (default 0).
   */
  outputPadding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Only 'zeros' (PyTorch refuses the others for transposed convolutions too). */
  paddingMode?: 'zeros';
}

/**
 * PyTorch's `_ConvNd`: parameters, init and repr shared by the convolution layers. The
 * constructor throws unless inChannels, outChannels and groups are positive integers with both
 * channel counts divisible by groups, and paddingMode is one of {@link PaddingMode}'s.
 */
export abstract class ConvNd extends Module {
  /**
   * The learnable kernels: `[outChannels, inChannels/groups, ...kernelSize]`, or for the
   * transposed layers `[inChannels, outChannels/groups, ...kernelSize]` (PyTorch's layouts).
   */
  weight: Parameter;
  /** The learnable bias `[outChannels]`, or null when built with `bias: false`. */
  bias: Parameter | null;
  /** Channels of the input (C_in). */
  readonly inChannels: number;
  /** Channels of the output (C_out). */
  readonly outChannels: number;
  /** Size of the kernel, one entry per spatial dim. */
  readonly kernelSize: number[];
  /** Step of the window, one entry per spatial dim. */
  readonly stride: number[];
  /** Padding on each side, one entry per spatial dim, or `'same'` / `'valid'`. */
  readonly padding: number[] | 'same' | 'valid';
  /** Spacing between kernel taps, one entry per spatial dim. */
  readonly dilation: number[];
  /** The transposed layers' extra output size per spatial dim; zeros for the others. */
  readonly outputPadding: number[];
  /** Number of blocked groups of channels. */
  readonly groups: number;
  /** How the padding is filled (always `'zeros'` for the transposed layers). */
  readonly paddingMode: PaddingMode;

  protected constructor(
    op: string,
    inChannels: number,
    outChannels: number,
    geometry: {
      kernelSize: number[];
      stride: number[];
      padding: number[] | 'same' | 'valid';
      dilation: number[];
      outputPadding: number[];
      transposed: boolean;
      paddingMode: PaddingMode;
    },
    opts: ConvCommonOptions,
  ) {
    super();
    const groups = opts.groups ?? 1;
    for (const [n, v] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['groups', groups],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: ${n} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups !== 0)
      throw new Error(`${op}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) {
      throw new Error(`${op}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(geometry.paddingMode)) {
      throw new Error(
        `${op}: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got '${geometry.paddingMode}'`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = geometry.kernelSize;
    this.stride = geometry.stride;
    this.padding = geometry.padding;
    this.dilation = geometry.dilation;
    this.outputPadding = geometry.outputPadding;
    this.groups = groups;
    this.paddingMode = geometry.paddingMode;
    const wShape = geometry.transposed
      ? [inChannels, outChannels / groups, ...geometry.kernelSize]
      : [outChannels, inChannels / groups, ...geometry.kernelSize];
    this.weight = Parameter._adopt(empty(wShape, opts));
    this.bias = opts.bias === false ? null : Parameter._adopt(empty([outChannels], opts));
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default: kaiming_uniform(a=√5), bias U(±1/√fanIn). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  /** PyTorch's `_reversed_padding_repeated_twice`, for F.pad with a non-zeros padding mode. */
  protected reversedPadding(): number[] {
    const p = this.padding;
    if (p === 'valid') return this.kernelSize.flatMap(() => [0, 0]);
    if (p === 'same') {
      const out: number[] = [];
      for (let i = this.kernelSize.length - 1; i >= 0; i--) {
        const total = this.dilation[i] * (this.kernelSize[i] - 1);
        const left = Math.floor(total / 2);
        out.push(left, total - left);
      }
      return out;
    }
    return [...p].reverse().flatMap((v) => [v, v]);
  }

  /** @internal The geometry `outputPaddingFor` needs (transposed layers; numeric padding). */
  protected transposedGeometry(): TransposedGeometry {
    const { kernelSize, stride, dilation, outputPadding } = this;
    return { kernelSize, stride, dilation, outputPadding, padding: this.padding as number[] };
  }

  override extraRepr(): string {
    const zeros = (v: readonly number[]) => v.every((x) => x === 0);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (!zeros(this.padding)) s += `, padding=${pyTuple(this.padding)}`;
    if (!this.dilation.every((d) => d === 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (!zeros(this.outputPadding)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

export function checkSamePadding(op: string, padding: unknown, stride: readonly number[]): void {
  if (padding === 'same' && stride.some((s) => s !== 1)) {
    throw new Error(
      `${op}: padding='same' is not supported for strided convolutions (stride ${pyTuple(stride)})`,
    );
  }
}

/**
 * `torch.nn.Conv2d`: 2-D convolution (cross-correlation) layer. `weight` is
 * `[outChannels, inChannels/groups, kH, kW]`, initialised as PyTorch's (kaiming_uniform(a=√5),
 * bias U(±1/√fanIn)).
 *
 * Input `(N, C_in, H_in, W_in)` or `(C_in, H_in, W_in)`; output `(N, C_out, H_out, W_out)` with
 * H_out = ⌊(H_in + 2·padding − dilation·(kH − 1) − 1)/stride + 1⌋ (W likewise). The
 * constructor throws unless inChannels, outChannels and groups are positive integers with both
 * channel counts divisible by groups, for an unknown paddingMode, and for `padding: 'same'` with a
 * stride other than 1.
 *
 * ```ts
 * const conv = new nn.Conv2d(1, 32, 3, { stride: 1, padding: 'same' });
 * conv.forward(x); // [N, 1, 28, 28] -> [N, 32, 28, 28]
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    ...rest: PosOrOpts<ConvRest<Pair, Pair | 'same' | 'valid'>, Conv2dLayerOptions>
  ) {
    const op = 'Conv2d';
    const opts = CONV2D.parse<Conv2dLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    const stride = pair(op, 'stride', opts.stride ?? 1, 1);
    const p = opts.padding ?? 0;
    checkSamePadding(op, p, stride);
    super(
      op,
      opts.inChannels,
      opts.outChannels,
      {
        kernelSize: pair(op, 'kernelSize', opts.kernelSize as Pair, 1),
        stride,
        padding: typeof p === 'string' ? checkPadString(op, p) : pair(op, 'padding', p, 0),
        dilation: pair(op, 'dilation', opts.dilation ?? 1, 1),
        outputPadding: [0, 0],
        transposed: false,
        paddingMode: opts.paddingMode ?? 'zeros',
      },
      opts,
    );
  }

  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== 'zeros') {
      const x = pad(input, this.reversedPadding(), this.paddingMode as PadMode);
      return conv2d(x, this.weight, this.bias, { ...o, padding: 0 });
    }
    return conv2d(input, this.weight, this.bias, { ...o, padding: this.padding });
  }
}

export function checkPadString(op: string, p: string): 'same' | 'valid' {
  if (p !== 'same' && p !== 'valid')
    throw new Error(`${op}: padding must be a number, a tuple, 'same' or 'valid', got '${p}'`);
  return p;
}

/**
 * `torch.nn.Conv1d`: 1-D convolution (cross-correlation) layer. `weight` is
 * `[outChannels, inChannels/groups, k]`, initialised as {@link Conv2d}'s.
 *
 * Input `(N, C_in, L_in)` or `(C_in, L_in)`; output `(N, C_out, L_out)` with
 * L_out = ⌊(L_in + 2·padding − dilation·(k − 1) − 1)/stride + 1⌋. Throws as {@link Conv2d}.
 *
 * ```ts
 * const conv = new nn.Conv1d(16, 33, 3, { stride: 2 });
 * ```
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    ...rest: PosOrOpts<
      ConvRest<number | readonly number[], number | readonly number[] | 'same' | 'valid'>,
      Conv1dLayerOptions
    >
  ) {
    const op = 'Conv1d';
    const opts = CONV1D.parse<Conv1dLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    const stride = [single(op, 'stride', opts.stride ?? 1, 1)];
    const p = opts.padding ?? 0;
    checkSamePadding(op, p, stride);
    super(
      op,
      opts.inChannels,
      opts.outChannels,
      {
        kernelSize: [single(op, 'kernelSize', opts.kernelSize, 1)],
        stride,
        padding: typeof p === 'string' ? checkPadString(op, p) : [single(op, 'padding', p, 0)],
        dilation: [single(op, 'dilation', opts.dilation ?? 1, 1)],
        outputPadding: [0],
        transposed: false,
        paddingMode: opts.paddingMode ?? 'zeros',
      },
      opts,
    );
  }

  override forward(input: Tensor): Tensor {
    const o = { stride: this.stride[0], dilation: this.dilation[0], groups: this.groups };
    if (this.paddingMode !== 'zeros') {
      const x = pad(input, this.reversedPadding(), this.paddingMode as PadMode);
      return conv1d(x, this.weight, this.bias, { ...o, padding: 0 });
    }
    const p = this.padding;
    return conv1d(input, this.weight, this.bias, { ...o, padding: typeof p === 'string' ? p : p[0] });
  }
}

/**
 * `torch.nn.ConvTranspose2d`: 2-D transposed convolution layer (the gradient of a Conv2d with
 * respect to its input). `weight` is `[inChannels, outChannels/groups, kH, kW]` (PyTorch's
 * layout).
 *
 * Input `(N, C_in, H_in, W_in)` or `(C_in, H_in, W_in)`; output `(N, C_out, H_out, W_out)` with
 * H_out = (H_in − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1 (W likewise).
 * The constructor throws unless inChannels, outChannels and groups are positive integers with
 * both channel counts divisible by groups, and when an outputPadding is not smaller than its
 * stride or its dilation.
 *
 * ```ts
 * const up = new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }); // 2× upsampling
 * ```
 */
export class ConvTranspose2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    ...rest: PosOrOpts<
      [
        stride: Pair,
        padding: Pair,
        outputPadding: Pair,
        groups: number,
        bias: boolean,
        dilation: Pair,
        paddingMode: 'zeros',
        device: string,
        dtype: 'float32' | 'float64',
      ],
      ConvTranspose2dLayerOptions
    >
  ) {
    const op = 'ConvTranspose2d';
    const opts = CONV_TRANSPOSE2D.parse<ConvTranspose2dLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    const stride = pair(op, 'stride', opts.stride ?? 1, 1);
    const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    const outputPadding = pair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
    if (outputPadding.some((p, i) => p >= stride[i] && p >= dilation[i])) {
      throw new Error(
        `${op}: outputPadding ${pyTuple(outputPadding)} must be smaller than either stride or dilation`,
      );
    }
    super(
      op,
      opts.inChannels,
      opts.outChannels,
      {
        kernelSize: pair(op, 'kernelSize', opts.kernelSize as Pair, 1),
        stride,
        padding: pair(op, 'padding', opts.padding ?? 0, 0),
        dilation,
        outputPadding,
        transposed: true,
        paddingMode: 'zeros',
      },
      opts,
    );
  }

  /** `outputSize` (PyTorch's `output_size`) picks the output padding that reaches that size. */
  override forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    const padding = this.padding as number[];
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      outputPadding: outputPaddingFor('ConvTranspose2d', input, outputSize, this.transposedGeometry()),
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
