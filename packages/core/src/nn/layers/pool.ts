// Pooling layers: MaxPool2d (and the max-pooling base of MaxPool1d/3d), AvgPool2d and
// AdaptiveAvgPool2d (PyTorch's arguments and repr).

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
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Pair } from '../functional/conv-args.js';
import { avgPool2d, type MaxPoolResult, maxPool2d } from '../functional/pool.js';
import { type AdaptiveSize, adaptiveAvgPool2d } from '../functional/pool-adaptive.js';
import { Module } from '../module.js';
import { pyBool, pyValue } from './conv-repr.js';

// PyTorch's signatures (inspect.signature of torch.nn.MaxPool2d/AvgPool2d/AdaptiveAvgPool2d).
/** inspect.signature of torch.nn.MaxPool1d/2d/3d (one shape: return_indices before ceil_mode). */
export const MAX_POOL_PARAMS = [
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
  opt('dilation', intOrTuple),
  opt('returnIndices', bool),
  opt('ceilMode', bool),
];
const MAX_POOL2D = signature('MaxPool2d', MAX_POOL_PARAMS);
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
export type MaxPool2dLayerOptions = MaxPoolLayerOptions<boolean>;

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  /** Step of the window (default null: the kernel size). */
  stride?: Pair | null;
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead of its size (default null). */
  divisorOverride?: number | null;
}

export const asRepr = (v: Pair): number | number[] => (typeof v === 'number' ? v : [...v]);

/** Options of the max pooling layers (`returnIndices` also makes forward return the indices). */
export interface MaxPoolLayerOptions<R extends boolean, P = Pair> {
  /** Step of the window (default null: the kernel size). */
  stride?: P | null;
  /** Implicit −∞ padding on each side, at most half the kernel (default 0). */
  padding?: P;
  /** Spacing between window taps (default 1). */
  dilation?: P;
  /** Forward returns `[values, indices]` (flat indices per plane, for MaxUnpool) (default false). */
  returnIndices?: R;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/** The positional parameters of the max pooling layers after kernelSize, in PyTorch's order. */
export type MaxPoolLayerRest<R extends boolean, P> = PosOrOpts<
  [stride: P | null, padding: P, dilation: P, returnIndices: R, ceilMode: boolean],
  MaxPoolLayerOptions<R, P>
>;

/** PyTorch's `_MaxPoolNd`: the arguments (stride defaults to the kernel size) and the repr. */
export abstract class MaxPoolNd<R extends boolean, P> extends Module {
  /** Size of the window. */
  readonly kernelSize: P;
  /** Step of the window (the kernel size unless given). */
  readonly stride: P;
  /** Implicit −∞ padding on each side. */
  readonly padding: P;
  /** Spacing between window taps. */
  readonly dilation: P;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: R;
  /** Whether the output size rounds up instead of down. */
  readonly ceilMode: boolean;

  protected constructor(opts: MaxPoolLayerOptions<R, P> & { kernelSize: P }) {
    super();
    this.kernelSize = opts.kernelSize;
    this.stride = opts.stride ?? opts.kernelSize;
    this.padding = opts.padding ?? (0 as P);
    this.dilation = opts.dilation ?? (1 as P);
    this.returnIndices = opts.returnIndices ?? (false as R);
    this.ceilMode = opts.ceilMode ?? false;
  }

  /** @internal The options to pass on to the functional form. */
  protected poolOptions(): { stride: P; padding: P; dilation: P; ceilMode: boolean; returnIndices: R } {
    const { stride, padding, dilation, ceilMode, returnIndices } = this;
    return { stride, padding, dilation, ceilMode, returnIndices };
  }

  override extraRepr(): string {
    const r = (v: P) => pyValue(asRepr(v as Pair));
    return (
      `kernel_size=${r(this.kernelSize)}, stride=${r(this.stride)}, ` +
      `padding=${r(this.padding)}, dilation=${r(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}

/**
 * `torch.nn.MaxPool2d`: 2-D max pooling. Input `(N, C, H_in, W_in)` or `(C, H_in, W_in)`;
 * output `(N, C, H_out, W_out)` with
 * H_out = ⌊(H_in + 2·padding − dilation·(kH − 1) − 1)/stride + 1⌋ (⌈…⌉ with ceilMode; W
 * likewise). With `returnIndices: true` forward returns `[values, indices]` (for
 * {@link MaxUnpool2d}). Forward throws when padding exceeds half the kernel or the output would
 * be empty.
 *
 * ```ts
 * const pool = new nn.MaxPool2d(2); // [N, C, 28, 28] -> [N, C, 14, 14]
 * const [y, idx] = new nn.MaxPool2d(2, { returnIndices: true }).forward(x);
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R, Pair> {
  constructor(kernelSize: Pair, ...rest: MaxPoolLayerRest<R, Pair>) {
    super(MAX_POOL2D.parse<MaxPoolLayerOptions<R> & { kernelSize: Pair }>([kernelSize, ...rest]));
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return maxPool2d<R>(input, this.kernelSize, this.poolOptions());
  }
}

/**
 * `torch.nn.AvgPool2d`: 2-D average pooling. Input `(N, C, H_in, W_in)` or `(C, H_in, W_in)`;
 * output `(N, C, H_out, W_out)` with H_out = ⌊(H_in + 2·padding − kH)/stride + 1⌋ (⌈…⌉ with
 * ceilMode; W likewise). Forward throws when padding exceeds half the kernel.
 *
 * ```ts
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1 });
 * ```
 */
export class AvgPool2d extends Module {
  /** Size of the window. */
  readonly kernelSize: Pair;
  /** Step of the window (the kernel size unless given). */
  readonly stride: Pair;
  /** Implicit zero padding on each side. */
  readonly padding: Pair;
  /** Whether the output size rounds up instead of down. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
  /** The divisor used for every window instead of its size, or null. */
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
 * `torch.nn.AdaptiveAvgPool2d`: 2-D average pooling to a fixed output size (`null` keeps that
 * input dim), PyTorch's windows. Input `(N, C, H_in, W_in)` or `(C, H_in, W_in)`; output
 * `(N, C, H_out, W_out)` = outputSize.
 *
 * ```ts
 * const gap = new nn.AdaptiveAvgPool2d(1); // global average pooling
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** The output size: one int for both dims or `[H_out, W_out]`, null keeping that input dim. */
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
