// The conversions of torchvision.transforms: ToTensor, PILToTensor, ToPILImage, ConvertImageDtype.
import type { DType, Tensor } from '@proj/core';
import type { Image } from '../image.js';
import { convertImageDtype, pilToTensor, toPilImage, toTensor } from './functional/convert.js';
import { type Transform, withRepr } from './transform.js';

/**
 * `transforms.ToTensor()`: an {@link Image} (bytes 0..255, [H, W, C]) becomes a float32 tensor
 * [C, H, W] with values in [0, 1] (`byte / 255`).
 *
 * ```ts
 * const t = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
 * ```
 */
export function ToTensor(): Transform<Image, Tensor> {
  return withRepr((pic: Image) => toTensor(pic), 'ToTensor()');
}

/** `transforms.PILToTensor()`: an {@link Image} as a uint8 tensor [C, H, W], bytes unchanged. */
export function PILToTensor(): Transform<Image, Tensor> {
  return withRepr((pic: Image) => pilToTensor(pic), 'PILToTensor()');
}

/**
 * `transforms.ToPILImage()`: a tensor [C, H, W] (1 or 3 channels) or [H, W] becomes an
 * {@link Image}; floats are scaled by 255 and truncated, uint8 taken as is.
 */
export function ToPILImage(): Transform<Tensor, Image> {
  return withRepr((pic: Tensor) => toPilImage(pic), 'ToPILImage()');
}

/**
 * `transforms.ConvertImageDtype(dtype)`: converts a tensor image and rescales its values
 * (uint8 0..255 ↔ float 0..1), as {@link convertImageDtype}.
 */
export function ConvertImageDtype(dtype: DType): Transform<Tensor, Tensor> {
  return withRepr((x: Tensor) => convertImageDtype(x, dtype), `ConvertImageDtype(${dtype})`);
}
