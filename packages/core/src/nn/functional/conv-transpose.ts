// Transposed convolution: the input-gradient of conv2d, so it reuses conv2d's kernels
// (forward = conv2dBackwardInput, input grad = conv2d, weight grad = conv2dBackwardFilter).
import { record } from '../../autograd/node.js';
import { convOutSize } from '../../backend/shapes.js';
import type { Conv2dParams } from '../../backend/types.js';
import { squeeze, unsqueeze } from '../../ops/shape.js';
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
import { addChannelBias, checkConvArgs, conv2dFilterGradRaw, conv2dInputGradRaw, conv2dRaw } from './conv.js';
import { fmt, type Pair, pair } from './conv-args.js';

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
  groups?: number;
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

function convTranspose2dImpl(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: ConvTranspose2dOptions,
): Tensor {
  const op = 'convTranspose2d';
  checkTensor(op, x);
  if (x.ndim === 3) return squeeze(convTranspose2dImpl(unsqueeze(x, 0), weight, bias, opts), 0);
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
    // PyTorch also accepts outputPadding < dilation; the conv2d kernels it reuses need < stride.
    if (outputPadding[i] >= stride[i]) {
      throw new Error(
        `${op}: outputPadding ${fmt(outputPadding)} must be smaller than stride ${fmt(stride)} in each dim`,
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
  const y = conv2dInputGradRaw(x, weight, outShape, p);
  const recorded = record(
    'ConvolutionBackward',
    y,
    [x, weight],
    (g) => [
      x._requiresGrad ? conv2dRaw(g, weight, p, [H, W]) : null,
      weight._requiresGrad ? conv2dFilterGradRaw(g, x, weight.shape, p) : null,
    ],
    [x, weight],
  );
  return addChannelBias(recorded, bias);
}
