// transforms.CenterCrop, RandomCrop and Pad.
import { defaultGenerator, type Generator, tidy } from '@proj/core';
import { centerCrop, crop, parseSize } from './functional/crop.js';
import { type PaddingMode, pad, parsePadding } from './functional/pad.js';
import { type RandomOptions, randint } from './random.js';
import { dimensions, type ImageLike, type Transform, withRepr } from './transform.js';

/**
 * `transforms.CenterCrop(size)`: the central `size` box (an integer for a square, or
 * `[h, w]`); smaller images are padded with zeros first. See {@link centerCrop}.
 */
export function CenterCrop(size: number | readonly number[]): Transform<ImageLike, ImageLike> {
  const s = parseSize('CenterCrop', size);
  return withRepr(
    <T extends ImageLike>(img: T): T => centerCrop(img, s),
    `CenterCrop(size=(${s.join(', ')}))`,
  );
}

/** Options of {@link Pad} and the padding of {@link RandomCrop}. */
export interface PadOptions {
  /** The border value in `'constant'` mode: one number, or one per channel (default 0). */
  fill?: number | readonly number[];
  /** How the border is filled (default `'constant'`: `fill`); see {@link pad} for the modes. */
  paddingMode?: PaddingMode;
}

/** `transforms.Pad(padding, { fill, paddingMode })`: pads every image the same way (see {@link pad}). */
export function Pad(
  padding: number | readonly number[],
  opts: PadOptions = {},
): Transform<ImageLike, ImageLike> {
  parsePadding('Pad', padding);
  const fill = opts.fill ?? 0;
  const mode = opts.paddingMode ?? 'constant';
  return withRepr(
    <T extends ImageLike>(img: T): T => pad(img, padding, fill, mode),
    `Pad(padding=${JSON.stringify(padding)}, fill=${JSON.stringify(fill)}, padding_mode=${mode})`,
  );
}

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions extends PadOptions, RandomOptions {
  /** Padding added to every image before cropping (`[left, top, right, bottom]`, or one or two numbers). */
  padding?: number | readonly number[] | null;
  /** Pad images narrower or shorter than `size` on both sides by the shortfall (torchvision's `pad_if_needed`). */
  padIfNeeded?: boolean;
}

/**
 * `transforms.RandomCrop(size, { padding, padIfNeeded, fill, paddingMode })`: a `size` box at
 * a uniformly random position, after the optional padding. The CIFAR-10 recipe:
 *
 * ```ts
 * transforms.Compose([transforms.RandomCrop(32, { padding: 4 }), transforms.RandomHorizontalFlip(), transforms.ToTensor()]);
 * ```
 */
export function RandomCrop(
  size: number | readonly number[],
  opts: RandomCropOptions = {},
): Transform<ImageLike, ImageLike> {
  const op = 'RandomCrop';
  const [th, tw] = parseSize(op, size);
  const padding = opts.padding ?? null;
  if (padding !== null) parsePadding(op, padding);
  const fill = opts.fill ?? 0;
  const mode = opts.paddingMode ?? 'constant';
  const g = opts.generator ?? defaultGenerator;
  return withRepr(
    <T extends ImageLike>(input: T): T =>
      tidy(() => {
        let img = input;
        if (padding !== null) img = pad(img, padding, fill, mode);
        const [, height, width] = dimensions(op, img);
        if (opts.padIfNeeded && width < tw) img = pad(img, [tw - width, 0], fill, mode);
        if (opts.padIfNeeded && height < th) img = pad(img, [0, th - height], fill, mode);
        const [i, j, h, w] = randomCropParams(img, [th, tw], g);
        return crop(img, i, j, h, w);
      }),
    `RandomCrop(size=(${th}, ${tw}), padding=${padding === null ? 'None' : JSON.stringify(padding)})`,
  );
}

/**
 * torchvision's `RandomCrop.get_params`: `[top, left, height, width]` of a uniformly placed
 * `outputSize` box inside the image (the whole image when the sizes are equal).
 *
 * @throws Error if `img` is not an image, or is smaller than `outputSize`.
 */
export function randomCropParams(
  img: ImageLike,
  outputSize: readonly [number, number],
  generator: Generator = defaultGenerator,
): [number, number, number, number] {
  const op = 'RandomCrop';
  const [, h, w] = dimensions(op, img);
  const [th, tw] = outputSize;
  if (h < th || w < tw) {
    throw new Error(`${op}: required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
  }
  if (w === tw && h === th) return [0, 0, h, w];
  return [randint(op, 0, h - th + 1, generator), randint(op, 0, w - tw + 1, generator), th, tw];
}
