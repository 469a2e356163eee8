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
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  dtype?: 'float32' | 'float64';
  device?: string;
}

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions extends ConvCommonOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  paddingMode?: PaddingMode;
}

/** Options of {@link Conv1d}. */
export interface Conv1dLayerOptions extends ConvCommonOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[] | 'same' | 'valid';
  dilation?: number | readonly number[];
  paddingMode?: PaddingMode;
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends ConvCommonOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  dilation?: Pair;
  /** Only 'zeros' (PyTorch refuses the others for transposed convolutions too). */
  paddingMode?: 'zeros';
}

/** PyTorch's `_ConvNd`: parameters, init and repr shared by the convolution layers. */
export abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
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
 * 2-D convolution layer over [N, C, H, W]. `weight` is `[outChannels, inChannels/groups, kH, kW]`.
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
 * 1-D convolution layer over [N, C, L]. `weight` is `[outChannels, inChannels/groups, k]`.
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
 * 2-D transposed convolution layer. `weight` is `[inChannels, outChannels/groups, kH, kW]`
 * (PyTorch's layout); output size (H−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1.
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
