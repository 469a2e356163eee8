// Conversions between images and tensors (torchvision.transforms.functional's to_tensor,
// pil_to_tensor, to_pil_image and convert_image_dtype).
import { type DType, Tensor, tidy } from '@proj/core';
import { Image, imageToTensor, tensorToImage } from '../../image.js';
import { describeInput } from '../transform.js';

/**
 * torchvision's `to_tensor`: an {@link Image} (mode L or RGB, bytes 0..255) becomes a float32
 * tensor [C, H, W] with values `byte / 255` in [0, 1].
 *
 * @throws Error if `pic` is not an Image (a uint8 tensor goes through {@link convertImageDtype}).
 */
export function toTensor(pic: Image): Tensor {
  if (!(pic instanceof Image)) {
    throw new Error(
      `toTensor: expected an Image (torchvision's PIL image), got ${describeInput(pic)}; for a uint8 tensor [C, H, W] use convertImageDtype(x, 'float32')`,
    );
  }
  return tidy(() => imageToTensor(pic).float().div(255));
}

/**
 * torchvision's `pil_to_tensor`: an {@link Image} as a uint8 tensor [C, H, W], bytes unchanged.
 *
 * @throws Error if `pic` is not an Image.
 */
export function pilToTensor(pic: Image): Tensor {
  if (!(pic instanceof Image)) throw new Error(`pilToTensor: expected an Image, got ${describeInput(pic)}`);
  return imageToTensor(pic);
}

/**
 * torchvision's `to_pil_image` for the modes here: a tensor [1 or 3, H, W] or [H, W] becomes
 * an {@link Image} (`'L'` or `'RGB'`). A float tensor is scaled as torchvision does,
 * `x.mul(255).byte()` (truncation; values outside [0, 1] are an error rather than a wrap-around);
 * a uint8 tensor is taken as is.
 *
 * @throws Error if `pic` is not a float or uint8 tensor [1 or 3, H, W] or [H, W], or a float
 * value lies outside [0, 1].
 */
export function toPilImage(pic: Tensor): Image {
  const op = 'toPilImage';
  if (!(pic instanceof Tensor))
    throw new Error(`${op}: expected a tensor [C, H, W] or [H, W], got ${describeInput(pic)}`);
  if (pic.ndim !== 2 && pic.ndim !== 3) {
    throw new Error(`${op}: pic should be 2/3 dimensional, got ${describeInput(pic)}`);
  }
  return tidy(() => {
    const chw = pic.ndim === 2 ? pic.unsqueeze(0) : pic;
    if (chw.shape[0] !== 1 && chw.shape[0] !== 3) {
      throw new Error(
        `${op}: only 1 (mode L) or 3 (mode RGB) channels are supported, got ${describeInput(pic)}`,
      );
    }
    let bytes = chw;
    if (chw.dtype !== 'uint8') {
      if (!isFloatDtype(chw.dtype))
        throw new Error(`${op}: expected a float or uint8 tensor, got ${describeInput(pic)}`);
      const scaled = chw.mul(255);
      const lo = scaled.min().item();
      const hi = scaled.max().item();
      if (!(lo > -1 && hi < 256)) {
        throw new Error(
          `${op}: float values must lie in [0, 1] to become bytes, got values in [${lo / 255}, ${hi / 255}]`,
        );
      }
      bytes = scaled.to('uint8');
    }
    return tensorToImage(op, bytes);
  });
}

/** True for the floating dtypes. */
export function isFloatDtype(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** The largest value of an image dtype: 255 for uint8, 1 for floats (torchvision's `_max_value`). */
export function maxValue(d: DType): number {
  if (d === 'uint8') return 255;
  if (d === 'int32') return 2147483647;
  if (isFloatDtype(d)) return 1;
  throw new Error(`maxValue: images of dtype ${d} are not supported (float, uint8 or int32)`);
}

/**
 * torchvision's `convert_image_dtype`: converts a tensor image and rescales its values, floats
 * in [0, 1] and integers in [0, max]. Float to integer multiplies by `max + 1 - 0.001` and
 * truncates (so 1.0 becomes max and the bins are even); integer to float divides by max.
 * Returns `image` itself when it already has `dtype`.
 *
 * @throws Error if `image` is not a tensor, a dtype is not an image dtype (float, uint8,
 * int32), or the cast cannot be exact (float32 to int32, any float to int64), as torchvision.
 *
 * @example
 * ```ts
 * convertImageDtype(tensor([[[0, 128, 255]]], { dtype: 'uint8' })); // float32 [[[0, 0.502, 1]]]
 * ```
 */
export function convertImageDtype(image: Tensor, dtype: DType = 'float32'): Tensor {
  const op = 'convertImageDtype';
  if (!(image instanceof Tensor)) throw new Error(`${op}: expected a tensor, got ${describeInput(image)}`);
  if (image.dtype === dtype) return image;
  const fromFloat = isFloatDtype(image.dtype);
  const toFloat = isFloatDtype(dtype);
  if (fromFloat && toFloat) return image.to(dtype);
  if (fromFloat) {
    if (dtype === 'int64' || (image.dtype !== 'float64' && dtype === 'int32')) {
      throw new Error(`${op}: the cast from ${image.dtype} to ${dtype} cannot be performed safely`);
    }
    return tidy(() => image.mul(maxValue(dtype) + 1 - 1e-3).to(dtype));
  }
  const inMax = maxValue(image.dtype);
  if (toFloat) return tidy(() => image.to(dtype).div(inMax));
  const outMax = maxValue(dtype);
  if (inMax > outMax) {
    const factor = Math.floor((inMax + 1) / (outMax + 1));
    return tidy(() => image.div(factor, { roundingMode: 'floor' }).to(dtype));
  }
  const factor = Math.floor((outMax + 1) / (inMax + 1));
  return tidy(() => image.to(dtype).mul(factor));
}
