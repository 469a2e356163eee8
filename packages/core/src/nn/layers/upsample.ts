// Upsample: the layer form of F.interpolate.
import {
  bool,
  intOrTuple,
  numOrTuple,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type InterpolateMode, interpolate } from '../functional/interpolate.js';
import { Module } from '../module.js';
import { pyFloat, pyValue } from './conv-repr.js';

/**
 * PyTorch's nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None,
 * recompute_scale_factor=None). The modes are those {@link interpolate} implements;
 * recompute_scale_factor only at its default (the given scale factor is used as is).
 */
const UPSAMPLE = signature('Upsample', [
  opt('size', optional(intOrTuple)),
  opt('scaleFactor', optional(numOrTuple)),
  opt('mode', oneOf('nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area')),
  opt('alignCorners', optional(bool)),
  opt('recomputeScaleFactor', (v) =>
    v === null || v === false
      ? null
      : 'null or false (recomputing the scale factor from the output size is not supported)',
  ),
]);

/** Options of {@link Upsample}: one of `size` and `scaleFactor`. */
export interface UpsampleOptions {
  /** Output spatial size: one int for every dim or one per dim (default null: use scaleFactor). */
  size?: number | readonly number[] | null;
  /** Multiplier of each spatial size: one for every dim or one per dim (default null: use size). */
  scaleFactor?: number | readonly number[] | null;
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  /**
   * Linear modes only: the corner pixels' centres of input and output are aligned (true) or
   * their outer edges (false) (default null: false).
   */
  alignCorners?: boolean | null;
  /** null or false only (PyTorch's default behaviour). */
  recomputeScaleFactor?: false | null;
}

/**
 * `torch.nn.Upsample`: resizes `(N, C, L)`, `(N, C, H, W)` or `(N, C, D, H, W)` inputs as
 * {@link interpolate} (nearest, linear, bilinear, bicubic, trilinear or area); the output keeps
 * N and C and has the spatial size `size`, or ⌊in·scaleFactor⌋. The constructor throws unless
 * exactly one of size and scaleFactor is given.
 *
 * ```ts
 * const up = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false });
 * ```
 */
export class Upsample extends Module {
  /** The output spatial size, or null when scaleFactor is used. */
  readonly size: number | readonly number[] | null;
  /** The multiplier of each spatial size, or null when size is used. */
  readonly scaleFactor: number | readonly number[] | null;
  /** The interpolation algorithm. */
  readonly mode: InterpolateMode;
  /** Whether the linear modes align the corner pixels' centres (null: false). */
  readonly alignCorners: boolean | null;

  constructor(
    ...rest: PosOrOpts<
      [
        size: number | readonly number[] | null,
        scaleFactor: number | readonly number[] | null,
        mode: InterpolateMode,
        alignCorners: boolean | null,
        recomputeScaleFactor: false | null,
      ],
      UpsampleOptions
    >
  ) {
    super();
    const opts = UPSAMPLE.parse<UpsampleOptions>(rest);
    this.size = opts.size ?? null;
    this.scaleFactor = opts.scaleFactor ?? null;
    this.mode = opts.mode ?? 'nearest';
    this.alignCorners = opts.alignCorners ?? null;
    if ((this.size === null) === (this.scaleFactor === null)) {
      throw new Error('Upsample: give exactly one of size and scaleFactor');
    }
  }

  override forward(input: Tensor): Tensor {
    return interpolate(input, {
      size: this.size,
      scaleFactor: this.scaleFactor,
      mode: this.mode,
      alignCorners: this.alignCorners,
    });
  }

  override extraRepr(): string {
    const sf = this.scaleFactor;
    const info =
      sf !== null
        ? `scale_factor=${typeof sf === 'number' ? pyFloat(sf) : `(${sf.map(pyFloat).join(', ')})`}`
        : `size=${pyValue(this.size as number | number[])}`;
    return `${info}, mode=${this.mode}`;
  }
}
