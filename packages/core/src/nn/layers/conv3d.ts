// Conv3d: PyTorch's 3-D convolution layer (parameters, default init, state-dict layout, repr,
// padding modes), over the F.conv3d composite.

import { type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ntuple } from '../functional/conv-args.js';
import { conv3d, type Triple } from '../functional/conv3d.js';
import { type PadMode, pad } from '../functional/pad.js';
import {
  CONV_DEVICE,
  CONV_HEAD,
  CONV_TAIL,
  type ConvCommonOptions,
  ConvNd,
  type ConvRequired,
  type ConvRest,
  checkPadString,
  checkSamePadding,
  type PaddingMode,
} from './conv.js';

// inspect.signature(torch.nn.Conv3d).
const CONV3D = signature('Conv3d', [...CONV_HEAD, ...CONV_TAIL(false), ...CONV_DEVICE]);

/** Options of {@link Conv3d}. */
export interface Conv3dLayerOptions extends ConvCommonOptions {
  /** Step of the window (default 1). */
  stride?: Triple;
  /**
   * Padding added to each side (default 0), or `'same'` (output size = input size; stride 1 only)
   * / `'valid'` (none); filled as `paddingMode` says.
   */
  padding?: Triple | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** How the padding is filled: `'zeros'` (the default), `'reflect'`, `'replicate'` or `'circular'`. */
  paddingMode?: PaddingMode;
}

/**
 * `torch.nn.Conv3d`: 3-D convolution (cross-correlation) layer. `weight` is
 * `[outChannels, inChannels/groups, kD, kH, kW]`. Input `(N, C_in, D_in, H_in, W_in)` or
 * unbatched; output `(N, C_out, D_out, H_out, W_out)`, each size as {@link Conv2d}'s H_out.
 * Throws as {@link Conv2d}.
 *
 * ```ts
 * const conv = new nn.Conv3d(1, 8, 3, { padding: 1 }); // [N, 1, 16, 32, 32] -> [N, 8, 16, 32, 32]
 * ```
 */
export class Conv3d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Triple,
    ...rest: PosOrOpts<ConvRest<Triple, Triple | 'same' | 'valid'>, Conv3dLayerOptions>
  ) {
    const op = 'Conv3d';
    const opts = CONV3D.parse<Conv3dLayerOptions & ConvRequired>([
      inChannels,
      outChannels,
      kernelSize,
      ...rest,
    ]);
    const stride = ntuple(op, 'stride', opts.stride ?? 1, 3, 1);
    const p = opts.padding ?? 0;
    checkSamePadding(op, p, stride);
    super(
      op,
      opts.inChannels,
      opts.outChannels,
      {
        kernelSize: ntuple(op, 'kernelSize', opts.kernelSize, 3, 1),
        stride,
        padding: typeof p === 'string' ? checkPadString(op, p) : ntuple(op, 'padding', p, 3, 0),
        dilation: ntuple(op, 'dilation', opts.dilation ?? 1, 3, 1),
        outputPadding: [0, 0, 0],
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
      return conv3d(x, this.weight, this.bias, { ...o, padding: 0 });
    }
    return conv3d(input, this.weight, this.bias, { ...o, padding: this.padding });
  }
}
