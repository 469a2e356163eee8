// MaxPool1d, MaxPool3d, AvgPool1d and AvgPool3d: PyTorch's arguments, repr and forward
// (values, or [values, indices] with returnIndices) over the functional forms.

import {
  bool,
  int,
  intOrTuple,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ntuple } from '../functional/conv-args.js';
import type { MaxPoolResult } from '../functional/pool.js';
import { avgPool1d, avgPool3d, maxPool1d, maxPool3d } from '../functional/pool-nd.js';
import type { IntOrTuple } from '../functional/pool-windows.js';
import { Module } from '../module.js';
import { pyTuple, pyValue } from './conv-repr.js';
import { MAX_POOL_PARAMS, type MaxPoolLayerOptions, type MaxPoolLayerRest, MaxPoolNd } from './pool.js';

// inspect.signature of torch.nn.MaxPool1d/3d, AvgPool1d (no divisor_override) and AvgPool3d.
const MAX_POOL1D = signature('MaxPool1d', MAX_POOL_PARAMS);
const MAX_POOL3D = signature('MaxPool3d', MAX_POOL_PARAMS);
const avgParams = [
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
  opt('ceilMode', bool),
  opt('countIncludePad', bool),
];
const AVG_POOL1D = signature('AvgPool1d', avgParams);
const AVG_POOL3D = signature('AvgPool3d', [...avgParams, opt('divisorOverride', optional(int))]);

type MaxOpts<R extends boolean> = MaxPoolLayerOptions<R, IntOrTuple> & { kernelSize: IntOrTuple };

/**
 * `torch.nn.MaxPool1d`: 1-D max pooling. Input `(N, C, L_in)` or `(C, L_in)`; output
 * `(N, C, L_out)`, L_out as {@link MaxPool2d}'s H_out. With `returnIndices: true` forward returns
 * `[values, indices]`.
 *
 * ```ts
 * const pool = new nn.MaxPool1d(3, { stride: 2 });
 * ```
 */
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R, IntOrTuple> {
  constructor(kernelSize: IntOrTuple, ...rest: MaxPoolLayerRest<R, IntOrTuple>) {
    super(MAX_POOL1D.parse<MaxOpts<R>>([kernelSize, ...rest]));
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return maxPool1d<R>(input, this.kernelSize, this.poolOptions());
  }
}

/**
 * `torch.nn.MaxPool3d`: 3-D max pooling. Input `(N, C, D, H, W)` or `(C, D, H, W)`; each output
 * size as {@link MaxPool2d}'s H_out. With `returnIndices: true` forward returns
 * `[values, indices]` (flat d·H·W + h·W + w within each volume).
 *
 * ```ts
 * const pool = new nn.MaxPool3d(2); // halves D, H and W
 * ```
 */
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R, IntOrTuple> {
  constructor(kernelSize: IntOrTuple, ...rest: MaxPoolLayerRest<R, IntOrTuple>) {
    super(MAX_POOL3D.parse<MaxOpts<R>>([kernelSize, ...rest]));
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return maxPool3d<R>(input, this.kernelSize, this.poolOptions());
  }
}

/** Options of {@link AvgPool1d}. */
export interface AvgPool1dLayerOptions {
  /** Step of the window (default null: the kernel size). */
  stride?: IntOrTuple | null;
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: IntOrTuple;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Options of {@link AvgPool3d}. */
export interface AvgPool3dLayerOptions extends AvgPool1dLayerOptions {
  /** Divide every window by this instead of its size (default null). */
  divisorOverride?: number | null;
}

/**
 * `torch.nn.AvgPool1d`: 1-D average pooling. Input `(N, C, L_in)` or `(C, L_in)`; output
 * `(N, C, L_out)`, L_out as {@link AvgPool2d}'s H_out.
 *
 * ```ts
 * const pool = new nn.AvgPool1d(3, { stride: 2, padding: 1 });
 * ```
 */
export class AvgPool1d extends Module {
  /** Size of the window, as a 1-tuple (PyTorch's `_single`). */
  readonly kernelSize: number[];
  /** Step of the window (the kernel size unless given), as a 1-tuple. */
  readonly stride: number[];
  /** Implicit zero padding on each side, as a 1-tuple. */
  readonly padding: number[];
  /** Whether the output size rounds up instead of down. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;

  constructor(
    kernelSize: IntOrTuple,
    ...rest: PosOrOpts<
      [stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean],
      AvgPool1dLayerOptions
    >
  ) {
    super();
    const op = 'AvgPool1d';
    const o = AVG_POOL1D.parse<AvgPool1dLayerOptions & { kernelSize: IntOrTuple }>([kernelSize, ...rest]);
    // PyTorch's AvgPool1d keeps its sizes as 1-tuples (_single), which its repr shows.
    this.kernelSize = ntuple(op, 'kernelSize', o.kernelSize, 1, 1);
    this.stride =
      o.stride === null || o.stride === undefined ? this.kernelSize : ntuple(op, 'stride', o.stride, 1, 1);
    this.padding = ntuple(op, 'padding', o.padding ?? 0, 1, 0);
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }

  override forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * `torch.nn.AvgPool3d`: 3-D average pooling. Input `(N, C, D, H, W)` or `(C, D, H, W)`; each
 * output size as {@link AvgPool2d}'s H_out.
 *
 * ```ts
 * const pool = new nn.AvgPool3d(2);
 * ```
 */
export class AvgPool3d extends Module {
  /** Size of the window. */
  readonly kernelSize: IntOrTuple;
  /** Step of the window (the kernel size unless given). */
  readonly stride: IntOrTuple;
  /** Implicit zero padding on each side. */
  readonly padding: IntOrTuple;
  /** Whether the output size rounds up instead of down. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
  /** The divisor used for every window instead of its size, or null. */
  readonly divisorOverride: number | null;

  constructor(
    kernelSize: IntOrTuple,
    ...rest: PosOrOpts<
      [
        stride: IntOrTuple | null,
        padding: IntOrTuple,
        ceilMode: boolean,
        countIncludePad: boolean,
        divisorOverride: number | null,
      ],
      AvgPool3dLayerOptions
    >
  ) {
    super();
    const o = AVG_POOL3D.parse<AvgPool3dLayerOptions & { kernelSize: IntOrTuple }>([kernelSize, ...rest]);
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? o.kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }

  override forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    const r = (v: IntOrTuple) => pyValue(typeof v === 'number' ? v : [...v]);
    return `kernel_size=${r(this.kernelSize)}, stride=${r(this.stride)}, padding=${r(this.padding)}`;
  }
}
