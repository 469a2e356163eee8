// Transposed convolutions: the input-gradient of conv2d, so they reuse conv2d's kernels
// (forward = conv2dBackwardInput, input grad = conv2d, weight grad = conv2dBackwardFilter);
// convTranspose1d is convTranspose2d over a height-1 image.
import { convOutSize } from '../../backend/shapes.js';
import type { Conv2dParams } from '../../backend/types.js';
import { narrow, padConstant, squeeze, unsqueeze } from '../../ops/shape.js';
import { checkTensor } from '../../ops/util.js';
import {
  any,
  int,
  intOrTuple,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addChannelBias, checkConvArgs, conv2dInputGrad } from './conv.js';
import { fmt, type Pair, pair, single } from './conv-args.js';

// torch.nn.functional.conv_transpose2d (a C++ builtin: the documented order; note groups
// before dilation).
const CONV_TRANSPOSE2D = signature('F.convTranspose2d', [
  req('input', any),
  req('weight', any),
  opt('bias', optional(tensor)),
  opt('stride', intOrTuple),
  opt('padding', intOrTuple),
  opt('outputPadding', intOrTuple),
  opt('groups', int),
  opt('dilation', intOrTuple),
]);

/** Options of {@link convTranspose2d}. */
export interface ConvTranspose2dOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** `dilation·(k−1)−padding` zeros are added to each side of the input (default 0). */
  padding?: Pair;
  /** Extra size added to one side of each output dim, to pick among the sizes a strided conv maps from (default 0). */
  outputPadding?: Pair;
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
}

/**
 * 2-D transposed convolution ("deconvolution") of x [N, inC, H, W] (or unbatched) with weight
 * [inC, outC/groups, kH, kW] and optional bias [outC] → [N, outC, oH, oW] with
 * oH = (H−1)·stride − 2·padding + dilation·(kH−1) + outputPadding + 1.
 *
 * ```ts
 * const up = F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 });
 * ```
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      bias: Tensor | null | undefined,
      stride: Pair,
      padding: Pair,
      outputPadding: Pair,
      groups: number,
      dilation: Pair,
    ],
    ConvTranspose2dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV_TRANSPOSE2D.parse<
    { input: Tensor; weight: Tensor; bias?: Tensor | null } & ConvTranspose2dOptions
  >([input, weight, ...rest]);
  return convTranspose2dImpl(a.input, a.weight, a.bias, {
    stride: a.stride,
    padding: a.padding,
    outputPadding: a.outputPadding,
    groups: a.groups,
    dilation: a.dilation,
  });
}

/** {@link convTranspose2d} without argument parsing; `op` names the caller in errors. */
export function convTranspose2dImpl(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: ConvTranspose2dOptions,
  op = 'convTranspose2d',
): Tensor {
  checkTensor(op, x);
  if (x.ndim === 3) return squeeze(convTranspose2dImpl(unsqueeze(x, 0), weight, bias, opts, op), 0);
  const groups = opts.groups ?? 1;
  checkConvArgs(
    op,
    x,
    weight,
    bias,
    groups,
    '[N, C, H, W]',
    (wt) => wt.shape[0],
    (wt, g) => wt.shape[1] * g,
  );
  const stride = pair(op, 'stride', opts.stride ?? 1, 1);
  const padding = pair(op, 'padding', opts.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const outputPadding = pair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
  for (let i = 0; i < 2; i++) {
    if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
      throw new Error(
        `${op}: outputPadding ${fmt(outputPadding)} must be smaller than either stride ${fmt(stride)} or dilation ${fmt(dilation)}`,
      );
    }
  }
  const [N, , H, W] = x.shape;
  const [, Og, kH, kW] = weight.shape;
  const outC = Og * groups;
  const oH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outputPadding[0] + 1;
  const oW = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outputPadding[1] + 1;
  if (oH <= 0 || oW <= 0) {
    throw new Error(
      `${op}: input ${fmt(x.shape)} with padding ${fmt(padding)} gives an empty output [${oH}, ${oW}]`,
    );
  }
  if (outputPadding[0] >= stride[0] || outputPadding[1] >= stride[1]) {
    // The conv2d kernels this op reuses map an output of this size back to a larger input.
    // Output padding only uncovers positions that padding crops (or zeros past the end), so
    // take the uncropped result and crop it here.
    const full = convTranspose2dImpl(x, weight, null, { stride, dilation, groups }, op);
    return addChannelBias(cropOrZeroPad(full, [padding[0], padding[1]], [oH, oW]), bias);
  }
  const p: Conv2dParams = { stride, padding, dilation, groups };
  const outShape = [N, outC, oH, oW];
  // The conv this op transposes maps outShape back to x's size; check that it does.
  const back = [
    convOutSize(oH, kH, stride[0], padding[0], dilation[0]),
    convOutSize(oW, kW, stride[1], padding[1], dilation[1]),
  ];
  if (back[0] !== H || back[1] !== W) {
    throw new Error(`${op}: inconsistent geometry for input ${fmt(x.shape)} and weight ${fmt(weight.shape)}`);
  }
  // conv2dInputGrad is recorded with its own (recorded) gradients: conv2d and the filter grad.
  return addChannelBias(conv2dInputGrad(x, weight, outShape, p), bias);
}

/**
 * Rows `start[i] .. start[i] + size[i]` of each spatial dim (dims 2, 3, …) of `y`, zeros where
 * they run past its end: the cropped output of a transposed convolution from its uncropped one.
 */
export function cropOrZeroPad(y: Tensor, start: readonly number[], size: readonly number[]): Tensor {
  let out = y;
  for (let i = 0; i < start.length; i++) {
    const d = 2 + i;
    const avail = Math.max(0, Math.min(size[i], out.shape[d] - start[i]));
    out = narrow(out, d, start[i], avail);
    if (avail < size[i]) {
      out = padConstant(
        out,
        out.shape.map((_, k): [number, number] => (k === d ? [0, size[i] - avail] : [0, 0])),
      );
    }
  }
  return out;
}

// ---- convTranspose1d -----------------------------------------------------------------------

// torch.nn.functional.conv_transpose1d (documented order, as conv_transpose2d).
const CONV_TRANSPOSE1D = signature('F.convTranspose1d', [
  req('input', any),
  req('weight', any),
  opt('bias', optional(tensor)),
  opt('stride', intOrTuple),
  opt('padding', intOrTuple),
  opt('outputPadding', intOrTuple),
  opt('groups', int),
  opt('dilation', intOrTuple),
]);

/** Options of {@link convTranspose1d}. */
export interface ConvTranspose1dOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: number | readonly number[];
  /** `dilation·(k−1)−padding` zeros are added to each side of the input (default 0). */
  padding?: number | readonly number[];
  /**
   * Extra size added to one side of the output, to pick among the sizes a strided conv maps from (default
   * 0).
   */
  outputPadding?: number | readonly number[];
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
}

/**
 * 1-D transposed convolution of x [N, inC, L] (or unbatched [inC, L]) with weight
 * [inC, outC/groups, k] and optional bias [outC] → [N, outC, oL] with
 * oL = (L−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1; computed as
 * {@link convTranspose2d} over a height-1 image.
 *
 * ```ts
 * const up = F.convTranspose1d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 });
 * ```
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      bias: Tensor | null | undefined,
      stride: number | readonly number[],
      padding: number | readonly number[],
      outputPadding: number | readonly number[],
      groups: number,
      dilation: number | readonly number[],
    ],
    ConvTranspose1dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV_TRANSPOSE1D.parse<
    { input: Tensor; weight: Tensor; bias?: Tensor | null } & ConvTranspose1dOptions
  >([input, weight, ...rest]);
  const op = 'convTranspose1d';
  const x = a.input;
  checkTensor(op, x);
  if (x.ndim !== 2 && x.ndim !== 3)
    throw new Error(`${op}: expected input [N, C, L] or [C, L], got ${fmt(x.shape)}`);
  checkTensor(op, a.weight, 'weight');
  if (a.weight.ndim !== 3) throw new Error(`${op}: expected a 3-D weight, got ${fmt(a.weight.shape)}`);
  const one = (name: string, v: number | readonly number[] | undefined, dflt: number, min: number) =>
    [1, single(op, name, v ?? dflt, min)] as [number, number];
  const y = convTranspose2dImpl(
    unsqueeze(x, -2),
    unsqueeze(a.weight, 2),
    a.bias,
    {
      stride: one('stride', a.stride, 1, 1),
      padding: [0, single(op, 'padding', a.padding ?? 0, 0)],
      outputPadding: [0, single(op, 'outputPadding', a.outputPadding ?? 0, 0)],
      dilation: one('dilation', a.dilation, 1, 1),
      groups: a.groups,
    },
    op,
  );
  return squeeze(y, -2);
}
