// transforms.RandomRotation.
import { defaultGenerator } from '@proj/core';
import { type RotateInterpolation, rotate } from './functional/rotate.js';
import { type RandomOptions, uniform } from './random.js';
import { type ImageLike, type Transform, withRepr } from './transform.js';

/** Options of {@link RandomRotation}. */
export interface RandomRotationOptions extends RandomOptions {
  /** How rotated pixels are sampled (default `'nearest'`). */
  interpolation?: RotateInterpolation;
  /** Grow the output to hold the whole rotated image (default false). */
  expand?: boolean;
  /** Centre of rotation `[x, y]` in pixels (default: the image centre). */
  center?: readonly [number, number] | null;
  /** Value of the pixels that come from outside the image: one number or one per channel (default 0). */
  fill?: number | readonly number[];
}

/**
 * `transforms.RandomRotation(degrees, { interpolation, expand, center, fill })`: rotates by an
 * angle drawn uniformly from `[-degrees, degrees]` (or from `[min, max]`), counter-clockwise,
 * as {@link rotate}.
 *
 * @throws Error if `degrees` is a negative number or not a range `[min, max]` with min <= max.
 *
 * ```ts
 * transforms.RandomRotation(15, { fill: 0 });
 * ```
 */
export function RandomRotation(
  degrees: number | readonly [number, number],
  opts: RandomRotationOptions = {},
): Transform<ImageLike, ImageLike> {
  const op = 'RandomRotation';
  let range: [number, number];
  if (typeof degrees === 'number') {
    if (!(degrees >= 0))
      throw new Error(`${op}: if degrees is a single number, it must be positive, got ${degrees}`);
    range = [-degrees, degrees];
  } else {
    if (!Array.isArray(degrees) || degrees.length !== 2 || !(degrees[0] <= degrees[1])) {
      throw new Error(
        `${op}: degrees must be a number or a sequence [min, max] with min <= max, got ${JSON.stringify(degrees)}`,
      );
    }
    range = [degrees[0], degrees[1]];
  }
  const g = opts.generator ?? defaultGenerator;
  const { interpolation = 'nearest', expand = false, center = null, fill = 0 } = opts;
  return withRepr(
    <T extends ImageLike>(img: T): T =>
      rotate(img, uniform(range[0], range[1], g), { interpolation, expand, center, fill }),
    `RandomRotation(degrees=[${range.join(', ')}], interpolation=${interpolation}, expand=${expand}, fill=${JSON.stringify(fill)})`,
  );
}
