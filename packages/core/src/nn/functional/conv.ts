// Convolutions: conv2d (fused kernel or im2col composite) with its gradients recorded in core,
// and conv1d as conv2d over a height-1 image.
import { record } from '../../autograd/node.js';
import { conv2dOutputShape } from '../../backend/shapes.js';
import type { Conv2dParams } from '../../backend/types.js';
import { add } from '../../ops/binary.js';
import { padConstant, reshape, squeeze, unsqueeze } from '../../ops/shape.js';
import { checkFloat, checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  either,
  int,
  intOrTuple,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, type Pair, pair, single } from './conv-args.js';
import {
  conv2dBackwardFilterComposite,
  conv2dBackwardInputComposite,
  conv2dComposite,
} from './conv-composite.js';

/** Padding of a convolution: per side (number or [h, w]), or PyTorch's `'same'` / `'valid'`. */
export type ConvPadding = Pair | 'same' | 'valid';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step of the window (default 1). */
  stride?: Pair;
  /** Zeros added to each side, or `'same'` (output size = input size; stride 1) / `'valid'` (none). */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  /** Step of the window (default 1). */
  stride?: number | readonly number[];
  /**
   * Zeros added to each side (default 0), or `'same'` (output length = input length; stride 1) / `'valid'`
   * (none).
   */
  padding?: number | readonly number[] | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
}

// torch.nn.functional.conv1d/conv2d (C++ builtins: the documented order).
const convParams = [
  req('input', any),
  req('weight', any),
  opt('bias', optional(tensor)),
  opt('stride', intOrTuple),
  opt('padding', either(intOrTuple, oneOf('same', 'valid'))),
  opt('dilation', intOrTuple),
  opt('groups', int),
];
const CONV1D = signature('F.conv1d', convParams);
const CONV2D = signature('F.conv2d', convParams);

interface ConvArgs {
  input: Tensor;
  weight: Tensor;
  bias?: Tensor | null;
}

// ---- raw kernels: fused when the backend has them, composite otherwise -------------------

/** conv2d forward without bias or recording. */
export function conv2dRaw(x: Tensor, w: Tensor, p: Conv2dParams, out: [number, number]): Tensor {
  const b = x._backend;
  if (b.conv2d) return x._fromKernel(b.conv2d(x, w, p), [x.shape[0], w.shape[0], out[0], out[1]], x.dtype);
  return conv2dComposite(x, w, p, out);
}

/** Gradient of conv2d w.r.t. its input (also the forward of the transposed convolution). */
export function conv2dInputGradRaw(
  dy: Tensor,
  w: Tensor,
  xShape: readonly number[],
  p: Conv2dParams,
): Tensor {
  const b = dy._backend;
  if (b.conv2dBackwardInput) return dy._fromKernel(b.conv2dBackwardInput(dy, w, xShape, p), xShape, dy.dtype);
  return conv2dBackwardInputComposite(dy, w, xShape, p);
}

/** Gradient of conv2d w.r.t. its weight. */
export function conv2dFilterGradRaw(
  x: Tensor,
  dy: Tensor,
  wShape: readonly number[],
  p: Conv2dParams,
): Tensor {
  const b = x._backend;
  if (b.conv2dBackwardFilter) return x._fromKernel(b.conv2dBackwardFilter(x, dy, wShape, p), wShape, x.dtype);
  return conv2dBackwardFilterComposite(x, dy, wShape, p);
}

// ---- recorded ops: each gradient is itself a recorded convolution, so double backward works ----

/**
 * conv2d of x [N, C, H, W] with w (no bias), recorded: its gradients are the recorded
 * {@link conv2dInputGrad} and {@link conv2dFilterGrad}, so a graph built with `createGraph`
 * differentiates again through them.
 */
export function conv2dOp(x: Tensor, w: Tensor, p: Conv2dParams, out: [number, number]): Tensor {
  const y = conv2dRaw(x, w, p, out);
  return record(
    'ConvolutionBackward',
    y,
    [x, w],
    (g) => [
      x._requiresGrad ? conv2dInputGrad(g, w, x.shape, p) : null,
      w._requiresGrad ? conv2dFilterGrad(x, g, w.shape, p) : null,
    ],
    [x, w],
  );
}

/**
 * The input-gradient of conv2d (also the transposed convolution), recorded. It is linear in
 * `dy` and in `w`: ⟨G, I(dy, w)⟩ = ⟨conv(G, w), dy⟩, so d/d·dy = conv(G, w), d/dw = F(G, dy).
 */
export function conv2dInputGrad(dy: Tensor, w: Tensor, xShape: readonly number[], p: Conv2dParams): Tensor {
  const y = conv2dInputGradRaw(dy, w, xShape, p);
  const out: [number, number] = [dy.shape[2], dy.shape[3]];
  return record(
    'ConvolutionBackwardInput',
    y,
    [dy, w],
    (g) => [
      dy._requiresGrad ? conv2dOp(g, w, p, out) : null,
      w._requiresGrad ? conv2dFilterGrad(g, dy, w.shape, p) : null,
    ],
    [dy, w],
  );
}

/**
 * The weight-gradient of conv2d, recorded: ⟨G, F(x, dy)⟩ = ⟨dy, conv(x, G)⟩, so
 * d/dx = I(dy, G) and d/d·dy = conv(x, G).
 */
export function conv2dFilterGrad(x: Tensor, dy: Tensor, wShape: readonly number[], p: Conv2dParams): Tensor {
  const y = conv2dFilterGradRaw(x, dy, wShape, p);
  const out: [number, number] = [dy.shape[2], dy.shape[3]];
  return record(
    'ConvolutionBackwardWeight',
    y,
    [x, dy],
    (g) => [
      x._requiresGrad ? conv2dInputGrad(dy, g, x.shape, p) : null,
      dy._requiresGrad ? conv2dOp(x, g, p, out) : null,
    ],
    [x, dy],
  );
}

// ---- checks ------------------------------------------------------------------------------

/** Checks the weight, groups, bias and input channels of a convolution; returns groups. */
export function checkConvArgs(
  op: string,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null | undefined,
  groups: number,
  layout: string,
  channelsOf: (w: Tensor, g: number) => number,
  outChannelsOf: (w: Tensor, g: number) => number,
): void {
  checkTensor(op, x);
  checkTensor(op, w, 'weight');
  checkFloat(op, x);
  checkSameDevice(op, x, w);
  const rank = layout.split(',').length;
  if (w.ndim !== rank) throw new Error(`${op}: expected a ${rank}-D weight, got ${fmt(w.shape)}`);
  if (!Number.isInteger(groups) || groups < 1)
    throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  if (w.shape[0] % groups !== 0) {
    throw new Error(
      `${op}: weight ${fmt(w.shape)}: dim 0 (${w.shape[0]}) must be divisible by groups ${groups}`,
    );
  }
  const C = channelsOf(w, groups);
  if (x.ndim !== rank || x.shape[1] !== C) {
    throw new Error(
      `${op}: expected input ${layout} with C = ${C} (weight ${fmt(w.shape)}, groups ${groups}), got ${fmt(x.shape)}`,
    );
  }
  if (w.dtype !== x.dtype) throw new Error(`${op}: input is ${x.dtype} but weight is ${w.dtype}`);
  if (bias !== null && bias !== undefined) {
    checkTensor(op, bias, 'bias');
    checkSameDevice(op, x, bias);
    const O = outChannelsOf(w, groups);
    if (bias.ndim !== 1 || bias.shape[0] !== O) {
      throw new Error(`${op}: expected bias [${O}] (weight ${fmt(w.shape)}), got ${fmt(bias.shape)}`);
    }
    if (bias.dtype !== x.dtype) throw new Error(`${op}: input is ${x.dtype} but bias is ${bias.dtype}`);
  }
}

/** Adds a per-channel bias to an [N, O, ...] output. */
export function addChannelBias(y: Tensor, bias: Tensor | null | undefined): Tensor {
  if (bias === null || bias === undefined) return y;
  return add(y, reshape(bias, [1, bias.shape[0], ...y.shape.slice(2).map(() => 1)]));
}

// ---- conv2d ------------------------------------------------------------------------------

/**
 * 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] (or unbatched [C, H, W])
 * with weight [O, C/groups, kH, kW] and optional bias [O] → [N, O, oH, oW].
 *
 * ```ts
 * const y = F.conv2d(x, w, b, { stride: 2, padding: 1 });
 * const same = F.conv2d(x, w, null, { padding: 'same' });
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [bias: Tensor | null | undefined, stride: Pair, padding: ConvPadding, dilation: Pair, groups: number],
    Conv2dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV2D.parse<ConvArgs & Conv2dOptions>([input, weight, ...rest]);
  return conv2dNamed('conv2d', a.input, a.weight, a.bias, {
    stride: a.stride,
    padding: a.padding,
    dilation: a.dilation,
    groups: a.groups,
  });
}

/** {@link conv2d} without argument parsing; `op` names the caller in errors (conv1d, conv3d). */
export function conv2dNamed(
  op: string,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null | undefined,
  opts: Conv2dOptions,
): Tensor {
  checkTensor(op, x);
  if (x.ndim === 3) return squeeze(conv2dNamed(op, unsqueeze(x, 0), w, bias, opts), 0);
  const groups = opts.groups ?? 1;
  checkConvArgs(
    op,
    x,
    w,
    bias,
    groups,
    '[N, C, H, W]',
    (wt, g) => wt.shape[1] * g,
    (wt) => wt.shape[0],
  );
  const stride = pair(op, 'stride', opts.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const [kH, kW] = [w.shape[2], w.shape[3]];
  let input = x;
  let padding: [number, number];
  const pad = opts.padding ?? 0;
  if (pad === 'valid') padding = [0, 0];
  else if (pad === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new Error(
        `${op}: padding='same' is not supported for strided convolutions (stride ${fmt(stride)})`,
      );
    }
    // PyTorch: pad total//2 on both sides and, for an odd total, one more after (bottom/right).
    const totalH = dilation[0] * (kH - 1);
    const totalW = dilation[1] * (kW - 1);
    padding = [Math.floor(totalH / 2), Math.floor(totalW / 2)];
    const extraH = totalH - 2 * padding[0];
    const extraW = totalW - 2 * padding[1];
    if (extraH > 0 || extraW > 0) {
      input = padConstant(x, [
        [0, 0],
        [0, 0],
        [0, extraH],
        [0, extraW],
      ]);
    }
  } else if (typeof pad === 'string') {
    throw new Error(`${op}: padding must be a number, a pair, 'same' or 'valid', got '${pad}'`);
  } else padding = pair(op, 'padding', pad, 0);
  const p: Conv2dParams = { stride, padding, dilation, groups };
  const [, , oH, oW] = conv2dOutputShape(input.shape, w.shape, p);
  if (oH <= 0 || oW <= 0) {
    throw new Error(
      `${op}: input ${fmt(x.shape)} with padding ${fmt(padding)} is smaller than the (dilated) kernel ` +
        `${fmt([dilation[0] * (kH - 1) + 1, dilation[1] * (kW - 1) + 1])}`,
    );
  }
  return addChannelBias(conv2dOp(input, w, p, [oH, oW]), bias);
}

// ---- conv1d ------------------------------------------------------------------------------

/**
 * 1-D convolution of x [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k] and
 * optional bias [O] → [N, O, oL]; computed as conv2d over a height-1 image.
 *
 * ```ts
 * const y = F.conv1d(x, w, null, { padding: 'same' });
 * ```
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      bias: Tensor | null | undefined,
      stride: number | readonly number[],
      padding: number | readonly number[] | 'same' | 'valid',
      dilation: number | readonly number[],
      groups: number,
    ],
    Conv1dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV1D.parse<ConvArgs & Conv1dOptions>([input, weight, ...rest]);
  return conv1dImpl(a.input, a.weight, a.bias, {
    stride: a.stride,
    padding: a.padding,
    dilation: a.dilation,
    groups: a.groups,
  });
}

function conv1dImpl(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: Conv1dOptions): Tensor {
  const op = 'conv1d';
  checkTensor(op, x);
  if (x.ndim === 2) return squeeze(conv1dImpl(unsqueeze(x, 0), weight, bias, opts), 0);
  const groups = opts.groups ?? 1;
  checkConvArgs(
    op,
    x,
    weight,
    bias,
    groups,
    '[N, C, L]',
    (wt, g) => wt.shape[1] * g,
    (wt) => wt.shape[0],
  );
  const pad = opts.padding ?? 0;
  const padding: ConvPadding = typeof pad === 'string' ? pad : [0, single(op, 'padding', pad, 0)];
  const y = conv2dNamed(op, unsqueeze(x, 2), unsqueeze(weight, 2), bias, {
    stride: [1, single(op, 'stride', opts.stride ?? 1, 1)],
    dilation: [1, single(op, 'dilation', opts.dilation ?? 1, 1)],
    padding,
    groups,
  });
  return squeeze(y, 2);
}
