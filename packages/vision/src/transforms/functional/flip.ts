// torchvision.transforms.functional.hflip and vflip.
import { type ImageLike, onImage } from '../transform.js';

/**
 * torchvision's `hflip`: the image mirrored left to right (the last dim reversed).
 *
 * @throws Error if `img` is neither an Image nor a tensor image [..., H, W].
 */
export function hflip<T extends ImageLike>(img: T): T {
  return onImage('hflip', img, (t) => t.flip([-1]));
}

/**
 * torchvision's `vflip`: the image upside down (the second-last dim reversed).
 *
 * @throws Error if `img` is neither an Image nor a tensor image [..., H, W].
 */
export function vflip<T extends ImageLike>(img: T): T {
  return onImage('vflip', img, (t) => t.flip([-2]));
}
