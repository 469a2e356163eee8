// ConvTranspose1d and ConvTranspose3d: PyTorch's transposed convolution layers (parameters,
// default init, state-dict layout, repr, forward's outputSize), over F.convTranspose1d/3d.
// (ConvTranspose2d lives with the other 2-D layers in conv.ts.)

import { type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ntuple } from '../functional/conv-args.js';
import { convTranspose1d } from '../functional/conv-transpose.js';
import { convTranspose3d, type Triple } from '../functional/conv3d.js';
import {
  CONV_DEVICE,
  CONV_HEAD,
  CONV_TAIL,
  type ConvCommonOptions,
  ConvNd,
  type ConvRequired,
} from './conv.js';
import { outputPaddingFor } from './conv-output-padding.js';
import { pyTuple } from './conv-repr.js';

// inspect.signature(torch.nn.ConvTranspose1d / ConvTranspose3d).
const CONV_TRANSPOSE1D = signature('ConvTranspose1d', [...CONV_HEAD, ...CONV_TAIL(true), ...CONV_DEVICE]);
const CONV_TRANSPOSE3D = signature('ConvTranspose3d', [...CONV_HEAD, ...CONV_TAIL(true), ...CONV_DEVICE]);

/** Options of {@link ConvTranspose1d} (`n` = 1) and {@link ConvTranspose3d}. */
export interface ConvTransposeNdLayerOptions extends ConvCommonOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Triple;
  /** `dilation·(k−1)−padding` zeros are added to each side of the input (default 0). */
  padding?: Triple;
  /**
   * Extra size added to one side of each output dim, to pick among the sizes a strided conv maps from
   * (default 0).
   */
  outputPadding?: Triple;
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** Only 'zeros' (PyTorch refuses the others for transposed convolutions too). */
  paddingMode?: 'zeros';
}

type Rest = PosOrOpts<
  [
    stride: Triple,
    padding: Triple,
    outputPadding: Triple,
    groups: number,
    bias: boolean,
    dilation: Triple,
    paddingMode: 'zeros',
    device: string,
    dtype: 'float32' | 'float64',
  ],
  ConvTransposeNdLayerOptions
>;

/** The geometry of an n-D transposed layer from its parsed options, with PyTorch's checks. */
function geometry(op: string, n: number, opts: ConvTransposeNdLayerOptions & ConvRequired) {
  const stride = ntuple(op, 'stride', opts.stride ?? 1, n, 1);
  const dilation = ntuple(op, 'dilation', opts.dilation ?? 1, n, 1);
  const outputPadding = ntuple(op, 'outputPadding', opts.outputPadding ?? 0, n, 0);
  if (outputPadding.some((p, i) => p >= stride[i] && p >= dilation[i])) {
    throw new Error(
      `${op}: outputPadding ${pyTuple(outputPadding)} must be smaller than either stride or dilation`,
    );
  }
  return {
    kernelSize: ntuple(op, 'kernelSize', opts.kernelSize, n, 1),
    stride,
    padding: ntuple(op, 'padding', opts.padding ?? 0, n, 0),
    dilation,
    outputPadding,
    transposed: true,
    paddingMode: 'zeros' as const,
  };
}

/**
 * `torch.nn.ConvTranspose1d`: 1-D transposed convolution layer. `weight` is
 * `[inChannels, outChannels/groups, k]`. Input `(N, C_in, L_in)` or `(C_in, L_in)`; output
 * `(N, C_out, L_out)` with L_out = (L_in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 * Throws as {@link ConvTranspose2d}.
 *
 * ```ts
 * const up = new nn.ConvTranspose1d(16, 8, 4, { stride: 2, padding: 1 }); // doubles L
 * ```
 */
export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Triple, ...rest: Rest) {
    const op = 'ConvTranspose1d';
    const opts = CONV_TRANSPOSE1D.parse<ConvTransposeNdLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    super(op, opts.inChannels, opts.outChannels, geometry(op, 1, opts), opts);
  }

  /** `outputSize` (PyTorch's `output_size`) picks the output padding that reaches that size. */
  override forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    return convTranspose1d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: outputPaddingFor('ConvTranspose1d', input, outputSize, this.transposedGeometry()),
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * `torch.nn.ConvTranspose3d`: 3-D transposed convolution layer. `weight` is
 * `[inChannels, outChannels/groups, kD, kH, kW]`. Input `(N, C_in, D_in, H_in, W_in)` or
 * unbatched; output `(N, C_out, D_out, H_out, W_out)`, each size as {@link ConvTranspose1d}'s
 * L_out. Throws as {@link ConvTranspose2d}.
 *
 * ```ts
 * const up = new nn.ConvTranspose3d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }); // 2× upsampling
 * ```
 */
export class ConvTranspose3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Triple, ...rest: Rest) {
    const op = 'ConvTranspose3d';
    const opts = CONV_TRANSPOSE3D.parse<ConvTransposeNdLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    super(op, opts.inChannels, opts.outChannels, geometry(op, 3, opts), opts);
  }

  /** `outputSize` (PyTorch's `output_size`) picks the output padding that reaches that size. */
  override forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    return convTranspose3d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: outputPaddingFor('ConvTranspose3d', input, outputSize, this.transposedGeometry()),
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
