// Pooling layers: MaxPool2d, AvgPool2d and AdaptiveAvgPool2d (PyTorch's arguments and repr).

import {
  any,
  bool,
  either,
  int,
  intOrTuple,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  unsupported,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Pair } from '../functional/conv-args.js';
import { avgPool2d, maxPool2d } from '../functional/pool.js';
import { type AdaptiveSize, adaptiveAvgPool2d } from '../functional/pool-adaptive.js';
import { Module } from '../module.js';
import { pyBool, pyValue } from './conv-repr.js';

// PyTorch's signatures (inspect.signature of torch.nn.MaxPool2d/AvgPool2d/AdaptiveAvgPool2d).
const MAX_POOL2D = signature('MaxPool2d', [
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
  opt('dilation', intOrTuple),
  unsupported('returnIndices', 'the layer returns values only (use nn.functional.maxPool2d for indices)'),
  opt('ceilMode', bool),
]);
const AVG_POOL2D = signature('AvgPool2d', [
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
  opt('ceilMode', bool),
  opt('countIncludePad', bool),
  opt('divisorOverride', optional(int)),
]);
const ADAPTIVE_AVG_POOL2D = signature('AdaptiveAvgPool2d', [req('outputSize', either(int, any))]);

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dLayerOptions {
  /** Default: the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

const asRepr = (v: Pair): number | number[] => (typeof v === 'number' ? v : [...v]);

/**
 * 2-D max pooling over [N, C, H, W].
 *
 * ```ts
 * const pool = new nn.MaxPool2d(2); // [N, C, 28, 28] -> [N, C, 14, 14]
 * ```
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;

  constructor(
    kernelSize: Pair,
    ...rest: PosOrOpts<
      [stride: Pair | null, padding: Pair, dilation: Pair, returnIndices: false, ceilMode: boolean],
      MaxPool2dLayerOptions
    >
  ) {
    super();
    const opts = MAX_POOL2D.parse<MaxPool2dLayerOptions & { kernelSize: Pair }>([kernelSize, ...rest]);
    kernelSize = opts.kernelSize;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
  }

  override forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pyValue(asRepr(this.kernelSize))}, stride=${pyValue(asRepr(this.stride))}, ` +
      `padding=${pyValue(asRepr(this.padding))}, dilation=${pyValue(asRepr(this.dilation))}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}

/**
 * 2-D average pooling over [N, C, H, W].
 *
 * ```ts
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1 });
 * ```
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(
    kernelSize: Pair,
    ...rest: PosOrOpts<
      [
        stride: Pair | null,
        padding: Pair,
        ceilMode: boolean,
        countIncludePad: boolean,
        divisorOverride: number | null,
      ],
      AvgPool2dLayerOptions
    >
  ) {
    super();
    const opts = AVG_POOL2D.parse<AvgPool2dLayerOptions & { kernelSize: Pair }>([kernelSize, ...rest]);
    kernelSize = opts.kernelSize;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyValue(asRepr(this.kernelSize))}, stride=${pyValue(asRepr(this.stride))}, padding=${pyValue(asRepr(this.padding))}`;
  }
}

/**
 * Adaptive 2-D average pooling to a fixed output size (`null` keeps that input dim).
 *
 * ```ts
 * const gap = new nn.AdaptiveAvgPool2d(1); // global average pooling
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    outputSize = ADAPTIVE_AVG_POOL2D.parse<{ outputSize: AdaptiveSize }>([outputSize]).outputSize;
    this.outputSize = outputSize;
  }

  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    const o = this.outputSize;
    return `output_size=${typeof o === 'number' ? o : pyValue([...o])}`;
  }
}
