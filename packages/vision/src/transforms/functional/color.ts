// torchvision.transforms.functional's colour adjustments on tensors (functional_tensor.py of
// torchvision 0.14), op for op so the float32 results and uint8 truncations are the same.
import { stack, type Tensor, tidy, where } from '@proj/core';
import { dimensions, type ImageLike, onImage } from '../transform.js';
import { isFloatDtype } from './convert.js';

/** torchvision's `_blend`: `ratio·a + (1 − ratio)·b`, clamped to the dtype's range and cast to a's dtype (truncating). */
function blend(a: Tensor, b: Tensor | number, ratio: number): Tensor {
  const bound = isFloatDtype(a.dtype) ? 1 : 255;
  const x = isFloatDtype(a.dtype) ? a : a.float();
  const mixed = x
    .mul(ratio)
    .add(typeof b === 'number' ? b * (1 - ratio) : (isFloatDtype(b.dtype) ? b : b.float()).mul(1 - ratio));
  return mixed.clamp(0, bound).to(a.dtype);
}

function checkChannels(op: string, t: Tensor, allowed: readonly number[]): number {
  const c = t.ndim === 2 ? 1 : t.shape[t.ndim - 3];
  if (t.ndim < 3 || !allowed.includes(c)) {
    throw new Error(
      `${op}: expected an image tensor [..., ${allowed.join(' or ')}, H, W], got ${t.dtype} [${t.shape.join(', ')}]`,
    );
  }
  return c;
}

function checkFactor(op: string, name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${op}: ${name} (${v}) is not a non-negative number`);
}

/**
 * torchvision's `rgb_to_grayscale` of a tensor [..., 3, H, W]: `0.2989 R + 0.587 G + 0.114 B`
 * in the image's dtype (truncated for uint8), as [..., 1, H, W].
 *
 * @throws Error if `t` is not a tensor [..., 3, H, W].
 */
export function rgbToGrayscale(t: Tensor): Tensor {
  checkChannels('rgbToGrayscale', t, [3]);
  return tidy(() => {
    const [r, g, b] = t.unbind(t.ndim - 3).map((ch) => (isFloatDtype(t.dtype) ? ch : ch.float()));
    return r
      .mul(0.2989)
      .add(g.mul(0.587))
      .add(b.mul(0.114))
      .to(t.dtype)
      .unsqueeze(t.ndim - 3);
  });
}

/**
 * torchvision's `adjust_brightness`: blends with black (0 black, 1 unchanged, 2 twice as bright).
 *
 * @throws Error if the factor is negative or not finite, or `img` is not a 1- or 3-channel image.
 *
 * @example
 * ```ts
 * const darker = adjustBrightness(img, 0.5); // an Image stays an Image, a tensor a tensor
 * ```
 */
export function adjustBrightness<T extends ImageLike>(img: T, brightnessFactor: number): T {
  const op = 'adjustBrightness';
  checkFactor(op, 'brightness_factor', brightnessFactor);
  return onImage(op, img, (t) => {
    checkChannels(op, t, [1, 3]);
    return tidy(() => blend(t, 0, brightnessFactor));
  });
}

/**
 * torchvision's `adjust_contrast`: blends with the mean of the grayscale image (0 a flat grey,
 * 1 unchanged).
 *
 * @throws Error if the factor is negative or not finite, or `img` is not a 1- or 3-channel image.
 */
export function adjustContrast<T extends ImageLike>(img: T, contrastFactor: number): T {
  const op = 'adjustContrast';
  checkFactor(op, 'contrast_factor', contrastFactor);
  return onImage(op, img, (t) => {
    const c = checkChannels(op, t, [1, 3]);
    return tidy(() => {
      const gray = c === 3 ? rgbToGrayscale(t) : t;
      const g = isFloatDtype(gray.dtype) ? gray : gray.float();
      const mean = g.mean([-3, -2, -1], true);
      return blend(t, mean, contrastFactor);
    });
  });
}

/**
 * torchvision's `adjust_saturation`: blends with the grayscale image (0 grey, 1 unchanged, 2
 * doubly saturated). A 1-channel image is returned as is (as PIL does).
 *
 * @throws Error if the factor is negative or not finite, or `img` is not a 1- or 3-channel image.
 */
export function adjustSaturation<T extends ImageLike>(img: T, saturationFactor: number): T {
  const op = 'adjustSaturation';
  checkFactor(op, 'saturation_factor', saturationFactor);
  if (dimensions(op, img)[0] === 1) return img;
  return onImage(op, img, (t) => {
    checkChannels(op, t, [3]);
    return tidy(() => blend(t, rgbToGrayscale(t), saturationFactor));
  });
}

/** torchvision's `_rgb2hsv` of float [..., 3, H, W] (after PIL's Convert.c). */
function rgbToHsv(img: Tensor): Tensor {
  const d = img.ndim - 3;
  const [r, g, b] = img.unbind(d);
  const maxc = img.amax(d);
  const minc = img.amin(d);
  // Where max = min, S and H are erased; dividing by 1 there avoids NaN.
  const eqc = maxc.eq(minc);
  const cr = maxc.sub(minc);
  const one = maxc.newOnes(maxc.shape);
  const s = cr.div(where(eqc, one, maxc));
  const crDivisor = where(eqc, one, cr);
  const rc = maxc.sub(r).div(crDivisor);
  const gc = maxc.sub(g).div(crDivisor);
  const bc = maxc.sub(b).div(crDivisor);
  const hr = maxc.eq(r).to(img.dtype).mul(bc.sub(gc));
  const hg = maxc.eq(g).logicalAnd(maxc.ne(r)).to(img.dtype).mul(rc.add(2).sub(bc));
  const hb = maxc.ne(g).logicalAnd(maxc.ne(r)).to(img.dtype).mul(gc.add(4).sub(rc));
  const h = hr.add(hg).add(hb).div(6).add(1).fmod(1);
  return stack([h, s, maxc], d);
}

/** torchvision's `_hsv2rgb` of float [..., 3, H, W]. */
function hsvToRgb(img: Tensor): Tensor {
  const d = img.ndim - 3;
  const [h, s, v] = img.unbind(d);
  const i = h.mul(6).floor();
  const f = h.mul(6).sub(i);
  const p = v.mul(s.neg().add(1)).clamp(0, 1);
  const q = v.mul(s.mul(f).neg().add(1)).clamp(0, 1);
  const t = v.mul(s.mul(f.neg().add(1)).neg().add(1)).clamp(0, 1);
  const sector = i.remainder(6);
  // torchvision sums mask·value over the six sectors; exactly one mask is 1, so this picks it.
  const pick = (vals: Tensor[]) => vals.reduceRight((acc, val, k) => where(sector.eq(k), val, acc));
  return stack([pick([v, q, p, p, t, v]), pick([t, v, v, q, p, p]), pick([p, p, t, v, v, q])], d);
}

/**
 * torchvision's `adjust_hue`: shifts the hue by `hueFactor` turns (in [-0.5, 0.5]; ±0.5 gives
 * the complementary colours) through HSV. uint8 images are converted with /255 and back with
 * ·255 truncated, as torchvision 0.14 does. A 1-channel image is returned as is.
 *
 * @throws Error if `hueFactor` is outside [-0.5, 0.5], or `img` is not a 1- or 3-channel image.
 */
export function adjustHue<T extends ImageLike>(img: T, hueFactor: number): T {
  const op = 'adjustHue';
  if (!(hueFactor >= -0.5 && hueFactor <= 0.5))
    throw new Error(`${op}: hue_factor (${hueFactor}) is not in [-0.5, 0.5]`);
  if (dimensions(op, img)[0] === 1) return img;
  return onImage(op, img, (t) => {
    checkChannels(op, t, [3]);
    return tidy(() => {
      const x = isFloatDtype(t.dtype) ? t : t.float().div(255);
      const hsv = rgbToHsv(x);
      const d = hsv.ndim - 3;
      const [h, s, v] = hsv.unbind(d);
      const rgb = hsvToRgb(stack([h.add(hueFactor).remainder(1), s, v], d));
      return isFloatDtype(t.dtype) ? rgb : rgb.mul(255).to(t.dtype);
    });
  });
}
