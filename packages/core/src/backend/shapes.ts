// Output sizes of the 2-D convolution and pooling windows, PyTorch's formulas: one copy for core's
// argument checks and for every backend's kernels, so they cannot disagree on a shape.
import type { Conv2dParams, Pool2dParams, Shape } from './types.js';

/**
 * Output size of a convolution window along one dim (floor mode):
 * floor((size + 2·pad − dil·(k−1) − 1) / stride) + 1. Not clamped: ≤ 0 means the (dilated)
 * kernel does not fit the padded input.
 */
export function convOutSize(size: number, k: number, stride: number, pad: number, dil: number): number {
  return Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
}

/**
 * Output size of a pooling window along one dim: as {@link convOutSize}, but ceil instead of
 * floor with `ceil`, where (as in PyTorch) the last window must start inside the input or the
 * left padding. Not clamped.
 */
export function poolOutSize(
  size: number,
  k: number,
  stride: number,
  pad: number,
  dil: number,
  ceil: boolean,
): number {
  const span = size + 2 * pad - dil * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/**
 * Output shape [N, O, oH, oW] of conv2d of x [N, C, H, W] with weight [O, C/groups, kH, kW].
 *
 * @example
 * conv2dOutputShape([1, 3, 8, 8], [16, 3, 3, 3], { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 });
 * // [1, 16, 8, 8]
 */
export function conv2dOutputShape(
  xShape: Shape,
  wShape: Shape,
  p: Conv2dParams,
): [number, number, number, number] {
  return [
    xShape[0],
    wShape[0],
    convOutSize(xShape[2], wShape[2], p.stride[0], p.padding[0], p.dilation[0]),
    convOutSize(xShape[3], wShape[3], p.stride[1], p.padding[1], p.dilation[1]),
  ];
}

/**
 * The sizes a conv2d kernel loops over: input x [N, C, H, W], weight [O, Cg, kH, kW], output
 * [N, O, oH, oW]; each of the `groups` groups maps Cg input channels to Og filters.
 */
export interface Conv2dGeometry {
  /** Batch size. */
  N: number;
  /** Input channels. */
  C: number;
  /** Input height. */
  H: number;
  /** Input width. */
  W: number;
  /** Output channels (filters). */
  O: number;
  /** Kernel height. */
  kH: number;
  /** Kernel width. */
  kW: number;
  /** Output height. */
  oH: number;
  /** Output width. */
  oW: number;
  /** Input channels per group (the weight's dim 1). */
  Cg: number;
  /** Filters per group: `O / groups`. */
  Og: number;
}

/** The {@link Conv2dGeometry} of conv2d of x [N, C, H, W] with weight [O, C/groups, kH, kW]. */
export function conv2dGeometry(xShape: Shape, wShape: Shape, p: Conv2dParams): Conv2dGeometry {
  const [N, C, H, W] = xShape;
  const [O, Cg, kH, kW] = wShape;
  const [, , oH, oW] = conv2dOutputShape(xShape, wShape, p);
  return { N, C, H, W, O, kH, kW, oH, oW, Cg, Og: O / p.groups };
}

/**
 * Output shape [N, C, oH, oW] of max or average pooling of x [N, C, H, W]; a window that does
 * not fit gives a spatial size of 0, never a negative one.
 */
export function pool2dOutputShape(xShape: Shape, p: Pool2dParams): [number, number, number, number] {
  const out = (d: 0 | 1): number =>
    Math.max(
      poolOutSize(xShape[2 + d], p.kernel[d], p.stride[d], p.padding[d], p.dilation[d], p.ceilMode),
      0,
    );
  return [xShape[0], xShape[1], out(0), out(1)];
}
