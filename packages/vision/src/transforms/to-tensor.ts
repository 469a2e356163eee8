// The few torchvision.transforms the ported examples use, on uint8 image tensors [H, W] or
// [H, W, C] (torchvision's PIL images) and float tensors [C, H, W].
import { nn, type Tensor, tensor } from '@proj/core';
import type { Image } from './datasets.js';

/** A transform: a function of one value. */
export type Transform<A = any, B = any> = (x: A) => B;

/** `transforms.Compose([...])`: applies each transform in turn. */
export function Compose(list: readonly Transform[]): Transform {
  return (x) => list.reduce((v, t) => t(v), x);
}

/**
 * `transforms.ToTensor()`: a uint8 image [H, W] or [H, W, C] becomes a float32 tensor
 * [C, H, W] with values in [0, 1].
 */
export function ToTensor(): Transform<Image, Tensor> {
  return (img) => {
    if (img.dtype !== 'uint8' || (img.ndim !== 2 && img.ndim !== 3)) {
      throw new Error(
        `ToTensor: expected a uint8 image [H, W] or [H, W, C], got ${img.dtype} [${img.shape.join(', ')}]`,
      );
    }
    const chw = img.ndim === 2 ? img.unsqueeze(0) : img.permute(2, 0, 1);
    return chw.float().div(255);
  };
}

/** `transforms.Normalize(mean, std)`: `(x[c] - mean[c]) / std[c]` on a float tensor [C, H, W]. */
export function Normalize(mean: readonly number[], std: readonly number[]): Transform<Tensor, Tensor> {
  const m = tensor([...mean]).view(-1, 1, 1);
  const s = tensor([...std]).view(-1, 1, 1);
  return (x) => {
    if (x.ndim !== 3 || (x.shape[0] !== mean.length && mean.length !== 1)) {
      throw new Error(
        `Normalize: expected a tensor [C, H, W] with C = ${mean.length}, got [${x.shape.join(', ')}]`,
      );
    }
    return x.sub(m).div(s);
  };
}

/**
 * `transforms.Resize(size)` of a uint8 image [H, W] with bilinear interpolation: an integer
 * size makes the smaller edge `size` (keeping the aspect ratio), a pair is `[h, w]`. The
 * result is rounded back to uint8 as PIL's is. Only enlarging is supported: PIL shrinks
 * with an anti-aliasing filter that F.interpolate lacks, and a plain bilinear shrink would
 * silently differ.
 */
export function Resize(size: number | readonly [number, number]): Transform<Image, Image> {
  return (img) => {
    if (img.dtype !== 'uint8' || img.ndim !== 2) {
      throw new Error(`Resize: expected a uint8 image [H, W], got ${img.dtype} [${img.shape.join(', ')}]`);
    }
    const [h, w] = img.shape;
    let oh: number;
    let ow: number;
    if (typeof size === 'number') {
      [oh, ow] = h <= w ? [size, Math.trunc((size * w) / h)] : [Math.trunc((size * h) / w), size];
    } else [oh, ow] = size;
    if (oh === h && ow === w) return img;
    if (oh < h || ow < w) {
      throw new Error(
        `Resize: shrinking [${h}, ${w}] to [${oh}, ${ow}] needs PIL's anti-aliasing, which is not implemented`,
      );
    }
    const out = nn.functional.interpolate(img.float().view(1, 1, h, w), {
      size: [oh, ow],
      mode: 'bilinear',
      alignCorners: false,
    });
    return out.view(oh, ow).round().clamp(0, 255).to('uint8');
  };
}
