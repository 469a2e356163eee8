// transforms.RandomResizedCrop.
import { defaultGenerator, type Generator, tidy } from '@proj/core';
import { crop, parseSize } from './functional/crop.js';
import { type InterpolationMode, resize } from './functional/resize.js';
import { pyRound, type RandomOptions, randint, uniform } from './random.js';
import { dimensions, type ImageLike, type Transform, withRepr } from './transform.js';

/** Options of {@link RandomResizedCrop}. */
export interface RandomResizedCropOptions extends RandomOptions {
  /** Range of the crop's area as a fraction of the image's (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio width / height, drawn log-uniformly (default [3/4, 4/3]). */
  ratio?: readonly [number, number];
  /** How the crop is resampled to `size` (default `'bilinear'`). */
  interpolation?: InterpolationMode;
  /** Anti-alias the resize of tensors (Images always are); default false, as torchvision 0.14. */
  antialias?: boolean | null;
}

/**
 * torchvision's `RandomResizedCrop.get_params`: `[top, left, height, width]` of a crop whose
 * area fraction is uniform in `scale` and whose aspect ratio is log-uniform in `ratio`; after
 * 10 draws that do not fit, the central crop with the ratio clamped into `ratio`. Sizes are
 * rounded as Python's `round` (half to even).
 */
export function randomResizedCropParams(
  img: ImageLike,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  generator: Generator = defaultGenerator,
): [number, number, number, number] {
  const op = 'RandomResizedCrop';
  const [, height, width] = dimensions(op, img);
  const area = height * width;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * uniform(scale[0], scale[1], generator);
    const aspectRatio = Math.exp(uniform(logRatio[0], logRatio[1], generator));
    const w = pyRound(Math.sqrt(targetArea * aspectRatio));
    const h = pyRound(Math.sqrt(targetArea / aspectRatio));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return [randint(op, 0, height - h + 1, generator), randint(op, 0, width - w + 1, generator), h, w];
    }
  }
  // Fallback to the central crop.
  const inRatio = width / height;
  let w: number;
  let h: number;
  if (inRatio < Math.min(...ratio)) {
    w = width;
    h = pyRound(w / Math.min(...ratio));
  } else if (inRatio > Math.max(...ratio)) {
    h = height;
    w = pyRound(h * Math.max(...ratio));
  } else {
    w = width;
    h = height;
  }
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
}

/**
 * `transforms.RandomResizedCrop(size, { scale, ratio, interpolation, antialias })`: a random
 * crop (see {@link randomResizedCropParams}) resized to `size` (an integer for a square, or
 * `[h, w]`): ImageNet's training augmentation.
 *
 * @throws Error if `size` is not one or two positive integers, or `scale` or `ratio` is not a
 * positive range `[min, max]` with min <= max.
 *
 * ```ts
 * transforms.RandomResizedCrop(224);
 * transforms.RandomResizedCrop(28, { scale: [0.8, 1] });
 * ```
 */
export function RandomResizedCrop(
  size: number | readonly number[],
  opts: RandomResizedCropOptions = {},
): Transform<ImageLike, ImageLike> {
  const op = 'RandomResizedCrop';
  const out = parseSize(op, size);
  const scale = opts.scale ?? [0.08, 1];
  const ratio = opts.ratio ?? [3 / 4, 4 / 3];
  for (const [name, r] of [
    ['scale', scale],
    ['ratio', ratio],
  ] as const) {
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !(r[0] > 0 || (name === 'scale' && r[0] >= 0)) ||
      !(r[0] <= r[1])
    ) {
      throw new Error(
        `${op}: ${name} should be a positive range [min, max] with min <= max, got ${JSON.stringify(r)}`,
      );
    }
  }
  const g = opts.generator ?? defaultGenerator;
  const interpolation = opts.interpolation ?? 'bilinear';
  return withRepr(
    <T extends ImageLike>(img: T): T => {
      const [i, j, h, w] = randomResizedCropParams(img, scale, ratio, g);
      return tidy(() =>
        resize(crop(img, i, j, h, w), out, { interpolation, antialias: opts.antialias ?? null }),
      );
    },
    `RandomResizedCrop(size=(${out.join(', ')}), scale=(${scale.join(', ')}), ratio=(${ratio.join(', ')}), interpolation=${interpolation})`,
  );
}
