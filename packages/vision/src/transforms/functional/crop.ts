// torchvision.transforms.functional.crop and center_crop.
import { type Tensor, tidy } from '@proj/core';
import { pyRound } from '../random.js';
import { dimensions, type ImageLike, onImage } from '../transform.js';
import { padTensor } from './pad.js';

/** A crop box inside (or partly outside) a tensor image; the part outside reads zeros. */
export function cropTensor(x: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [h, w] = x.shape.slice(-2);
  const right = left + width;
  const bottom = top + height;
  if (left >= 0 && top >= 0 && right <= w && bottom <= h)
    return x.narrow(-2, top, height).narrow(-1, left, width);
  return tidy(() => {
    // The part of the box inside the image, then zeros for the rest (torchvision pads with 0).
    const y0 = Math.min(Math.max(top, 0), h);
    const y1 = Math.max(Math.min(bottom, h), y0);
    const x0 = Math.min(Math.max(left, 0), w);
    const x1 = Math.max(Math.min(right, w), x0);
    if (y1 === y0 || x1 === x0) return x.newZeros([...x.shape.slice(0, -2), height, width]);
    const inside = x.narrow(-2, y0, y1 - y0).narrow(-1, x0, x1 - x0);
    return padTensor('crop', inside, [x0 - left, y0 - top, right - x1, bottom - y1], 0, 'constant');
  });
}

function checkBox(op: string, box: Record<string, number>): void {
  for (const [k, v] of Object.entries(box)) {
    if (!Number.isInteger(v)) throw new Error(`${op}: ${k} must be an integer, got ${v}`);
  }
  if (box.height < 1 || box.width < 1) {
    throw new Error(`${op}: the crop must be at least 1x1, got height ${box.height} and width ${box.width}`);
  }
}

/**
 * torchvision's `crop`: the `height` x `width` box whose top-left corner is at (`top`, `left`);
 * where the box leaves the image it reads zeros.
 *
 * @throws Error if a coordinate is not an integer, the box is smaller than 1x1, or `img` is not
 * an image.
 *
 * @example
 * ```ts
 * crop(x, 2, 2, 24, 24); // [..., C, 28, 28] → [..., C, 24, 24]
 * ```
 */
export function crop<T extends ImageLike>(
  img: T,
  top: number,
  left: number,
  height: number,
  width: number,
): T {
  checkBox('crop', { top, left, height, width });
  return onImage('crop', img, (t) => cropTensor(t, top, left, height, width));
}

/** A size argument as `[height, width]`: one number for a square, or one or two numbers. */
export function parseSize(op: string, size: number | readonly number[]): [number, number] {
  const s = typeof size === 'number' ? [size, size] : size.length === 1 ? [size[0], size[0]] : size;
  if (!Array.isArray(s) || s.length !== 2 || s.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(
      `${op}: size must be a positive integer or a sequence of 1 or 2 of them, got ${JSON.stringify(size)}`,
    );
  }
  return [s[0], s[1]];
}

/**
 * torchvision's `center_crop`: the central `size` box (rounded to the top-left on odd
 * differences as Python's round does); an image smaller than `size` is first padded with
 * zeros on both sides (the extra pixel of an odd difference going right and bottom).
 *
 * @throws Error if `outputSize` is not one or two positive integers, or `img` is not an image.
 */
export function centerCrop<T extends ImageLike>(img: T, outputSize: number | readonly number[]): T {
  const op = 'centerCrop';
  const [ch, cw] = parseSize(op, outputSize);
  const [, h, w] = dimensions(op, img);
  return onImage(op, img, (t) =>
    tidy(() => {
      let x = t;
      let [ih, iw] = [h, w];
      if (cw > iw || ch > ih) {
        const padding: [number, number, number, number] = [
          cw > iw ? Math.floor((cw - iw) / 2) : 0,
          ch > ih ? Math.floor((ch - ih) / 2) : 0,
          cw > iw ? Math.floor((cw - iw + 1) / 2) : 0,
          ch > ih ? Math.floor((ch - ih + 1) / 2) : 0,
        ];
        x = padTensor(op, x, padding, 0, 'constant');
        [ih, iw] = x.shape.slice(-2);
        if (cw === iw && ch === ih) return x;
      }
      const top = pyRound((ih - ch) / 2);
      const left = pyRound((iw - cw) / 2);
      return cropTensor(x, top, left, ch, cw);
    }),
  );
}
