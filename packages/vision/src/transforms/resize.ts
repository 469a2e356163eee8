// transforms.Resize.
import { type ResizeOptions, resize, resizedOutputSize } from './functional/resize.js';
import { type ImageLike, type Transform, withRepr } from './transform.js';

/**
 * `transforms.Resize(size, { interpolation, maxSize, antialias })`: resizes an Image or a
 * tensor image. An integer `size` (or `[n]`) sets the shorter edge to n and keeps the aspect
 * ratio; `[h, w]` sets both. Bilinear by default, with align_corners=False as `F.interpolate`;
 * tensors are anti-aliased only with `antialias: true` (torchvision 0.14's default for
 * tensors), Images always (as PIL). See {@link resize}.
 *
 * @throws Error if `size` is not one or two positive integers, or `maxSize` is given with two
 * numbers or is not above `size`.
 *
 * ```ts
 * transforms.Resize(64);                          // shorter edge to 64
 * transforms.Resize([32, 32], { antialias: true });
 * ```
 */
export function Resize(
  size: number | readonly number[],
  opts: ResizeOptions = {},
): Transform<ImageLike, ImageLike> {
  // Validate once, as torchvision's constructor does.
  resizedOutputSize('Resize', [1, 1], size, opts.maxSize ?? null);
  const s = typeof size === 'number' ? [size] : [...size];
  const o = { ...opts };
  return withRepr(
    <T extends ImageLike>(img: T): T => resize(img, s, o),
    `Resize(size=[${s.join(', ')}], interpolation=${o.interpolation ?? 'bilinear'}, max_size=${o.maxSize ?? 'None'}, antialias=${o.antialias ?? 'None'})`,
  );
}
