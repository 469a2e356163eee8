// PixelShuffle / PixelUnshuffle layers (sub-pixel convolution's rearrangement).
import { int, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { pixelShuffle, pixelUnshuffle } from '../functional/pixel-shuffle.js';
import { Module } from '../module.js';

// PyTorch's nn.PixelShuffle(upscale_factor), nn.PixelUnshuffle(downscale_factor).
const PIXEL_SHUFFLE = signature('PixelShuffle', [req('upscaleFactor', int)]);
const PIXEL_UNSHUFFLE = signature('PixelUnshuffle', [req('downscaleFactor', int)]);

/**
 * `torch.nn.PixelShuffle`: rearranges `(∗, C·r², H, W)` → `(∗, C, H·r, W·r)`, r = upscaleFactor
 * (sub-pixel convolution). Forward throws when the channels are not divisible by r².
 *
 * ```ts
 * const ps = new nn.PixelShuffle(3);
 * ```
 */
export class PixelShuffle extends Module {
  /** The factor r by which H and W grow. */
  readonly upscaleFactor: number;

  constructor(upscaleFactor: number);
  constructor(options: { upscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.upscaleFactor = PIXEL_SHUFFLE.parse<{ upscaleFactor: number }>(args).upscaleFactor;
  }

  override forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }

  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/**
 * `torch.nn.PixelUnshuffle`: rearranges `(∗, C, H·r, W·r)` → `(∗, C·r², H, W)`, r =
 * downscaleFactor, the inverse of {@link PixelShuffle}. Forward throws when H or W is not
 * divisible by r.
 */
export class PixelUnshuffle extends Module {
  /** The factor r by which H and W shrink. */
  readonly downscaleFactor: number;

  constructor(downscaleFactor: number);
  constructor(options: { downscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.downscaleFactor = PIXEL_UNSHUFFLE.parse<{ downscaleFactor: number }>(args).downscaleFactor;
  }

  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
