// 3-D convolutions as composites over conv2d: the depth taps of conv3d become extra input
// channels of one conv2d, and the depth taps of convTranspose3d extra output channels of one
// convTranspose2d, spread back over depth with pads. Everything is a recorded op (stack, views,
// pads, conv2d), so gradients — also second ones — and every backend come for free.

import { add } from '../../ops/binary.js';
import { stack } from '../../ops/join.js';
import { contiguous, padConstant, permute, reshape, squeeze, unsqueeze } from '../../ops/shape.js';
import { checkTensor } from '../../ops/util.js';
import { sliceDim } from '../../ops/view.js';
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
import { addChannelBias, checkConvArgs, conv2dNamed } from './conv.js';
import { fmt, ntuple } from './conv-args.js';
import { convTranspose2dImpl, cropOrZeroPad } from './conv-transpose.js';

/** An int for all three spatial dims, or one per dim `[d, h, w]`. */
export type Triple = number | readonly number[];

/** Options of {@link conv3d}. */
export interface Conv3dOptions {
  /** Step of the window (default 1). */
  stride?: Triple;
  /** Zeros added to each side (default 0), or `'same'` (stride 1) / `'valid'`. */
  padding?: Triple | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
}

/** Options of {@link convTranspose3d}. */
export interface ConvTranspose3dOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Triple;
  /** `dilation·(k−1)−padding` zeros are added to each side of the input (default 0). */
  padding?: Triple;
  /**
   * Extra size added to one side of each output dim, to pick among the sizes a strided conv maps from
   * (default 0).
   */
  outputPadding?: Triple;
  /** Blocked connections: input and output channels split into `groups` (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
}

// torch.nn.functional.conv3d / conv_transpose3d (C++ builtins: the documented orders).
const CONV3D = signature('F.conv3d', [
  req('input', any),
  req('weight', any),
  opt('bias', optional(tensor)),
  opt('stride', intOrTuple),
  opt('padding', either(intOrTuple, oneOf('same', 'valid'))),
  opt('dilation', intOrTuple),
  opt('groups', int),
]);
const CONV_TRANSPOSE3D = signature('F.convTranspose3d', [
  req('input', any),
  req('weight', any),
  opt('bias', optional(tensor)),
  opt('stride', intOrTuple),
  opt('padding', intOrTuple),
  opt('outputPadding', intOrTuple),
  opt('groups', int),
  opt('dilation', intOrTuple),
]);

type Bias = { input: Tensor; weight: Tensor; bias?: Tensor | null };

/**
 * 3-D convolution of x [N, C, D, H, W] (or unbatched [C, D, H, W]) with weight
 * [O, C/groups, kD, kH, kW] and optional bias [O] → [N, O, oD, oH, oW], as PyTorch's conv3d.
 *
 * ```ts
 * const y = F.conv3d(x, w, b, { stride: [1, 2, 2], padding: 1 });
 * ```
 */
export function conv3d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      bias: Tensor | null | undefined,
      stride: Triple,
      padding: Triple | 'same' | 'valid',
      dilation: Triple,
      groups: number,
    ],
    Conv3dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV3D.parse<Bias & Conv3dOptions>([input, weight, ...rest]);
  return conv3dImpl(a.input, a.weight, a.bias, a);
}

function conv3dImpl(x: Tensor, w: Tensor, bias: Tensor | null | undefined, opts: Conv3dOptions): Tensor {
  const op = 'conv3d';
  checkTensor(op, x);
  if (x.ndim === 4) return squeeze(conv3dImpl(unsqueeze(x, 0), w, bias, opts), 0);
  const groups = opts.groups ?? 1;
  checkConvArgs(
    op,
    x,
    w,
    bias,
    groups,
    '[N, C, D, H, W]',
    (wt, g) => wt.shape[1] * g,
    (wt) => wt.shape[0],
  );
  const stride = ntuple(op, 'stride', opts.stride ?? 1, 3, 1);
  const dilation = ntuple(op, 'dilation', opts.dilation ?? 1, 3, 1);
  const kernel = w.shape.slice(2);
  const pad = opts.padding ?? 0;
  let padding: number[];
  let input = x;
  if (pad === 'valid') padding = [0, 0, 0];
  else if (pad === 'same') {
    if (stride.some((s) => s !== 1)) {
      throw new Error(
        `${op}: padding='same' is not supported for strided convolutions (stride ${fmt(stride)})`,
      );
    }
    // PyTorch: total//2 on both sides and, for an odd total, one more after.
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    padding = total.map((t) => Math.floor(t / 2));
    const extra = total.map((t, i) => t - 2 * padding[i]);
    if (extra.some((e) => e > 0))
      input = padConstant(x, [[0, 0], [0, 0], ...extra.map((e): [number, number] => [0, e])]);
  } else if (typeof pad === 'string') {
    throw new Error(`${op}: padding must be a number, a tuple, 'same' or 'valid', got '${pad}'`);
  } else padding = ntuple(op, 'padding', pad, 3, 0);
  const [N, C] = input.shape;
  const [O, Cg, kD, kH, kW] = w.shape;
  const out = input.shape
    .slice(2)
    .map((s, i) => Math.floor((s + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
  if (out.some((o) => o <= 0)) {
    throw new Error(
      `${op}: input ${fmt(x.shape)} with padding ${fmt(padding)} is smaller than the (dilated) kernel ` +
        `${fmt(kernel.map((k, i) => dilation[i] * (k - 1) + 1))}`,
    );
  }
  const oD = out[0];
  const [sD, pD, dD] = [stride[0], padding[0], dilation[0]];
  const xp =
    pD > 0
      ? padConstant(input, [
          [0, 0],
          [0, 0],
          [pD, pD],
          [0, 0],
          [0, 0],
        ])
      : input;
  // The depth taps: slab kd holds the input depths od·sD + kd·dD read by output depth od.
  const slabs: Tensor[] = [];
  for (let kd = 0; kd < kD; kd++) slabs.push(sliceDim(xp, 2, kd * dD, kd * dD + (oD - 1) * sD + 1, sD));
  const G = groups;
  const [, , , H, W] = xp.shape;
  // [N, kD, C, oD, H, W] → [N, oD, G, kD, C/G, H, W]: within each group the taps become channels.
  const taps = reshape(stack(slabs, 1), [N, kD, G, C / G, oD, H, W]);
  const x2 = reshape(permute(taps, 0, 4, 2, 1, 3, 5, 6), [N * oD, G * kD * (C / G), H, W]);
  const w2 = reshape(permute(w, 0, 2, 1, 3, 4), [O, kD * Cg, kH, kW]);
  const y2 = conv2dNamed(op, x2, w2, null, {
    stride: [stride[1], stride[2]],
    padding: [padding[1], padding[2]],
    dilation: [dilation[1], dilation[2]],
    groups: G,
  });
  const [, , oH, oW] = y2.shape;
  const y = contiguous(permute(reshape(y2, [N, oD, O, oH, oW]), 0, 2, 1, 3, 4));
  return addChannelBias(y, bias);
}

/**
 * 3-D transposed convolution of x [N, inC, D, H, W] (or unbatched) with weight
 * [inC, outC/groups, kD, kH, kW] and optional bias [outC] → [N, outC, oD, oH, oW] with
 * o = (i−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1 in each dim.
 *
 * ```ts
 * const up = F.convTranspose3d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 });
 * ```
 */
export function convTranspose3d(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      bias: Tensor | null | undefined,
      stride: Triple,
      padding: Triple,
      outputPadding: Triple,
      groups: number,
      dilation: Triple,
    ],
    ConvTranspose3dOptions & { bias?: Tensor | null }
  >
): Tensor {
  const a = CONV_TRANSPOSE3D.parse<Bias & ConvTranspose3dOptions>([input, weight, ...rest]);
  return convTranspose3dImpl(a.input, a.weight, a.bias, a);
}

function convTranspose3dImpl(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null | undefined,
  opts: ConvTranspose3dOptions,
): Tensor {
  const op = 'convTranspose3d';
  checkTensor(op, x);
  if (x.ndim === 4) return squeeze(convTranspose3dImpl(unsqueeze(x, 0), w, bias, opts), 0);
  const groups = opts.groups ?? 1;
  checkConvArgs(
    op,
    x,
    w,
    bias,
    groups,
    '[N, C, D, H, W]',
    (wt) => wt.shape[0],
    (wt, g) => wt.shape[1] * g,
  );
  const stride = ntuple(op, 'stride', opts.stride ?? 1, 3, 1);
  const padding = ntuple(op, 'padding', opts.padding ?? 0, 3, 0);
  const dilation = ntuple(op, 'dilation', opts.dilation ?? 1, 3, 1);
  const outputPadding = ntuple(op, 'outputPadding', opts.outputPadding ?? 0, 3, 0);
  for (let i = 0; i < 3; i++) {
    if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
      throw new Error(
        `${op}: outputPadding ${fmt(outputPadding)} must be smaller than either stride ${fmt(stride)} or dilation ${fmt(dilation)}`,
      );
    }
  }
  const [N, Cin, D, H, W] = x.shape;
  const [, Og, kD, kH, kW] = w.shape;
  const G = groups;
  const oD = (D - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kD - 1) + outputPadding[0] + 1;
  if (oD <= 0) {
    throw new Error(
      `${op}: input ${fmt(x.shape)} with padding ${fmt(padding)} gives an empty output depth ${oD}`,
    );
  }
  // H and W by one convTranspose2d whose output channels are (group, depth tap, channel).
  const x2 = reshape(permute(x, 0, 2, 1, 3, 4), [N * D, Cin, H, W]);
  const w2 = reshape(permute(w, 0, 2, 1, 3, 4), [Cin, kD * Og, kH, kW]);
  const z = convTranspose2dImpl(
    x2,
    w2,
    null,
    {
      stride: [stride[1], stride[2]],
      padding: [padding[1], padding[2]],
      outputPadding: [outputPadding[1], outputPadding[2]],
      dilation: [dilation[1], dilation[2]],
      groups: G,
    },
    op,
  );
  const [, , oH, oW] = z.shape;
  const taps = reshape(z, [N, D, G, kD, Og, oH, oW]);
  // Depth: input depth i through tap kd lands on i·sD + kd·dD of the uncropped output.
  const [sD, dD] = [stride[0], dilation[0]];
  const spanD = (D - 1) * sD + 1;
  const full = spanD + dD * (kD - 1);
  let acc: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    let t = sliceDim(taps, 3, kd, kd + 1); // [N, D, G, 1, Og, oH, oW]
    t = reshape(t, [N, D, 1, G * Og, oH, oW]);
    // Spread by the stride: each depth followed by sD − 1 zeros.
    if (sD > 1)
      t = sliceDim(
        reshape(
          padConstant(t, [
            [0, 0],
            [0, 0],
            [0, sD - 1],
            [0, 0],
            [0, 0],
            [0, 0],
          ]),
          [N, D * sD, G * Og, oH, oW],
        ),
        1,
        0,
        spanD,
      );
    else t = reshape(t, [N, D, G * Og, oH, oW]);
    const placed = padConstant(t, [
      [0, 0],
      [kd * dD, full - spanD - kd * dD],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    acc = acc === null ? placed : add(acc, placed);
  }
  // [N, full, outC, oH, oW] → [N, outC, full, oH, oW], then crop the depth padding.
  const y = cropOrZeroPad(permute(acc as Tensor, 0, 2, 1, 3, 4), [padding[0]], [oD]);
  return addChannelBias(contiguous(y), bias);
}
