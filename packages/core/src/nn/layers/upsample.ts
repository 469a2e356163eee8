// Upsample: the layer form of F.interpolate.
import type { Tensor } from '../../tensor/tensor.js';
import { type InterpolateMode, interpolate } from '../functional/interpolate.js';
import { Module } from '../module.js';
import { pyFloat, pyValue } from './conv-repr.js';

/** Options of {@link Upsample}: one of `size` and `scaleFactor`. */
export interface UpsampleOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
}

/**
 * Resizes [N, C, L] or [N, C, H, W] inputs by nearest or (bi)linear interpolation.
 *
 * ```ts
 * const up = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false });
 * ```
 */
export class Upsample extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;

  constructor(opts: UpsampleOptions = {}) {
    super();
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
