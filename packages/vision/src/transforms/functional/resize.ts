// torchvision.transforms.functional.resize.
import { nn, type Tensor, tidy } from '@proj/core';
import { Image } from '../../image.js';
import { asBatch, dimensions, type ImageLike, onImage } from '../transform.js';
import { antialiasResize } from './antialias.js';
import { isFloatDtype } from './convert.js';

/** Interpolation modes of {@link resize} (torchvision's `InterpolationMode` values for tensors). */
export type InterpolationMode = 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic';

const MODES: readonly InterpolationMode[] = ['nearest', 'nearest-exact', 'bilinear', 'bicubic'];

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** How pixels are resampled (default `'bilinear'`). */
  interpolation?: InterpolationMode;
  /** With an integer `size`: the longer edge is capped at this many pixels (shrinking the shorter one). */
  maxSize?: number | null;
  /**
   * Anti-alias when shrinking (bilinear and bicubic). Tensors: default false (torchvision
   * 0.14's `antialias=None`); Images are always anti-aliased, as PIL does.
   */
  antialias?: boolean | null;
}

/**
 * torchvision's `_compute_resized_output_size`: `size` as one number (or `[n]`) sets the
 * shorter edge to n keeping the aspect ratio (the longer edge truncated, then capped by
 * `maxSize`); two numbers are `[height, width]`.
 */
export function resizedOutputSize(
  op: string,
  [h, w]: [number, number],
  size: number | readonly number[],
  maxSize: number | null = null,
): [number, number] {
  const s = typeof size === 'number' ? [size] : size;
  if (
    !Array.isArray(s) ||
    (s.length !== 1 && s.length !== 2) ||
    s.some((v) => !Number.isInteger(v) || v < 1)
  ) {
    throw new Error(
      `${op}: size must be a positive integer or a sequence of 1 or 2 of them, got ${JSON.stringify(size)}`,
    );
  }
  if (s.length === 2) {
    if (maxSize !== null) {
      throw new Error(
        `${op}: maxSize should only be passed if size specifies the length of the smaller edge, got size ${JSON.stringify(size)}`,
      );
    }
    return [s[0], s[1]];
  }
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = s[0];
  let newLong = Math.trunc((s[0] * long) / short);
  if (maxSize !== null) {
    if (maxSize <= s[0]) {
      throw new Error(
        `${op}: maxSize = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${s[0]}`,
      );
    }
    if (newLong > maxSize) [newShort, newLong] = [Math.trunc((maxSize * newShort) / newLong), maxSize];
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/** Resizes a tensor image to [oh, ow] as torchvision's functional_tensor.resize. */
export function resizeTensor(
  op: string,
  x: Tensor,
  [oh, ow]: [number, number],
  mode: InterpolationMode,
  antialias: boolean,
): Tensor {
  if (antialias && mode !== 'bilinear' && mode !== 'bicubic') {
    throw new Error(
      `${op}: antialias is supported for bilinear and bicubic interpolation only, got '${mode}'`,
    );
  }
  return tidy(() => {
    // torchvision computes in float32 (or float64) and rounds integer images back.
    const float = isFloatDtype(x.dtype) && x.dtype !== 'float16' && x.dtype !== 'bfloat16';
    const [batch, restore] = asBatch(float ? x : x.float());
    let y = antialias
      ? antialiasResize(batch, oh, ow, mode as 'bilinear' | 'bicubic')
      : nn.functional.interpolate(batch, {
          size: [oh, ow],
          mode,
          alignCorners: mode === 'bilinear' || mode === 'bicubic' ? false : null,
        });
    y = restore(y);
    if (float) return y;
    if (mode === 'bicubic' || antialias) y = y.clamp(0, x.dtype === 'uint8' ? 255 : Number.MAX_SAFE_INTEGER);
    return y.round().to(x.dtype);
  });
}

/**
 * torchvision's `resize`: the image resized to `size` (one number: the shorter edge, keeping the
 * aspect ratio, the longer edge capped by `maxSize`; two: `[height, width]`) by
 * `interpolation` (default bilinear, with align_corners=False as F.interpolate). A uint8
 * tensor is resized in float32 and rounded back. An {@link Image} is resized as PIL would:
 * always anti-aliased (bilinear, or bicubic with PIL's a = -0.5) and 'nearest' taking the
 * pixel under each output centre ('nearest-exact'); its bytes are rounded once (PIL rounds
 * after each pass, so an odd byte can differ by 1).
 *
 * @throws Error if `size` is not one or two positive integers, `maxSize` is given with two
 * numbers or is not above `size`, the interpolation is unknown, `antialias` is asked of
 * 'nearest', or `img` is not an image.
 *
 * ```ts
 * resize(x, 32);          // shorter edge to 32 pixels
 * resize(x, [24, 48], { antialias: true });
 * ```
 */
export function resize<T extends ImageLike>(
  img: T,
  size: number | readonly number[],
  opts: ResizeOptions = {},
): T {
  const op = 'resize';
  const mode = opts.interpolation ?? 'bilinear';
  if (!MODES.includes(mode)) {
    throw new Error(`${op}: interpolation must be one of ${MODES.join(', ')}, got '${mode}'`);
  }
  const [, h, w] = dimensions(op, img);
  const out = resizedOutputSize(op, [h, w], size, opts.maxSize ?? null);
  if (out[0] === h && out[1] === w) return img;
  if (img instanceof Image) {
    const aa = mode === 'bilinear' || mode === 'bicubic';
    return onImage(op, img, (t) => resizeTensor(op, t, out, mode === 'nearest' ? 'nearest-exact' : mode, aa));
  }
  return onImage(op, img, (t) => resizeTensor(op, t, out, mode, opts.antialias ?? false));
}
