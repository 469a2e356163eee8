// The 8-bit image datasets hand to transforms: what torchvision's PIL images are, without PIL.
// A separate type (not a uint8 tensor) keeps torchvision's rule unambiguous: tensors are
// [..., C, H, W] whatever their dtype, images are rows of interleaved channels.
import { type Tensor, tidy } from '@proj/core';
import { shaped } from './shaped.js';

/** PIL's mode names for the two kinds of image here: 8-bit grayscale and 8-bit RGB. */
export type ImageMode = 'L' | 'RGB';

/** Channels per pixel of each mode. */
const CHANNELS: Record<ImageMode, 1 | 3> = { L: 1, RGB: 3 };

/**
 * An 8-bit image (the PIL image of torchvision): `height` rows of `width` pixels, each pixel
 * 1 byte (mode `'L'`) or 3 bytes R, G, B (mode `'RGB'`), row-major: `data[(y * width + x) *
 * channels + c]`. Datasets give images; `transforms.ToTensor()` turns one into a float
 * tensor [C, H, W] in [0, 1], and every geometric and colour transform takes either.
 *
 * ```ts
 * const img = new Image(2, 1, 'L', new Uint8Array([0, 255]));
 * transforms.ToTensor()(img); // tensor [1, 1, 2]: [[[0, 1]]]
 * ```
 */
export class Image {
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** `'L'` (grayscale) or `'RGB'`. */
  readonly mode: ImageMode;
  /** The pixels, height · width · channels bytes, row-major with channels interleaved. */
  readonly data: Uint8Array;

  /**
   * An image of the given size and mode over `data` (not copied), or black when omitted.
   *
   * @throws Error if `width` or `height` is not a positive integer, `mode` is not 'L' or 'RGB',
   * or `data` is not a Uint8Array of width · height · channels bytes.
   */
  constructor(width: number, height: number, mode: ImageMode, data?: Uint8Array) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`Image: width and height must be positive integers, got ${width} x ${height}`);
    }
    if (CHANNELS[mode] === undefined) {
      throw new Error(`Image: mode must be 'L' or 'RGB', got '${mode}'`);
    }
    const n = width * height * CHANNELS[mode];
    if (data !== undefined && (!(data instanceof Uint8Array) || data.length !== n)) {
      const got = data instanceof Uint8Array ? `${data.length} bytes` : 'not a Uint8Array';
      throw new Error(
        `Image: a ${width}x${height} ${mode} image needs a Uint8Array of ${n} bytes, got ${got}`,
      );
    }
    this.width = width;
    this.height = height;
    this.mode = mode;
    this.data = data ?? new Uint8Array(n);
  }

  /** Bytes per pixel: 1 for `'L'`, 3 for `'RGB'`. */
  get channels(): 1 | 3 {
    return CHANNELS[this.mode];
  }

  /** PIL's `size`: `[width, height]`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /**
   * An RGB image from RGBA bytes, such as a canvas's `ImageData` (`ctx.getImageData(…)`);
   * alpha is dropped, as PIL's `convert('RGB')` does.
   *
   * @throws Error if `rgba` does not hold width · height · 4 values.
   *
   * @example
   * ```ts
   * const { width, height, data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
   * const img = Image.fromRGBA(width, height, data).convert('L');
   * ```
   */
  static fromRGBA(width: number, height: number, rgba: ArrayLike<number>): Image {
    if (rgba.length !== width * height * 4) {
      throw new Error(
        `Image.fromRGBA: a ${width}x${height} image needs ${width * height * 4} bytes, got ${rgba.length}`,
      );
    }
    const out = new Uint8Array(width * height * 3);
    for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
      out[o] = rgba[i];
      out[o + 1] = rgba[i + 1];
      out[o + 2] = rgba[i + 2];
    }
    return new Image(width, height, 'RGB', out);
  }

  /** PIL's `convert(mode)`: RGB to L by ITU-R 601-2 luma (PIL's integer formula), L to RGB by copying. */
  convert(mode: ImageMode): Image {
    if (mode === this.mode) return new Image(this.width, this.height, mode, this.data.slice());
    const n = this.width * this.height;
    if (mode === 'RGB') {
      const out = new Uint8Array(n * 3);
      for (let i = 0; i < n; i++) out.fill(this.data[i], i * 3, i * 3 + 3);
      return new Image(this.width, this.height, 'RGB', out);
    }
    const out = new Uint8Array(n);
    const d = this.data;
    // PIL's rgb2l: L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16.
    for (let i = 0; i < n; i++)
      out[i] = (d[3 * i] * 19595 + d[3 * i + 1] * 38470 + d[3 * i + 2] * 7471 + 0x8000) >>> 16;
    return new Image(this.width, this.height, 'L', out);
  }
}

/** True for an {@link Image}. */
export function isImage(x: unknown): x is Image {
  return x instanceof Image;
}

/** The image as a uint8 tensor [C, H, W] (torchvision's `pil_to_tensor`). */
export function imageToTensor(img: Image): Tensor {
  const { width: w, height: h, data } = img;
  const c = img.channels;
  if (c === 1) return shaped(data.slice(), [1, h, w]);
  const chw = new Uint8Array(c * h * w);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) chw[k * h * w + i] = data[i * c + k];
  return shaped(chw, [c, h, w]);
}

/** A uint8 tensor [1 or 3, H, W] as an image (mode `'L'` or `'RGB'`); anything else is an error naming `op`. */
export function tensorToImage(op: string, t: Tensor): Image {
  if (t.dtype !== 'uint8' || t.ndim !== 3 || (t.shape[0] !== 1 && t.shape[0] !== 3)) {
    throw new Error(
      `${op}: expected a uint8 tensor [1 or 3, H, W] to make an image, got ${t.dtype} [${t.shape.join(', ')}]`,
    );
  }
  const [c, h, w] = t.shape;
  const src = tidy(() => t.contiguous().dataSync()) as Uint8Array;
  if (c === 1) return new Image(w, h, 'L', Uint8Array.from(src));
  const hwc = new Uint8Array(c * h * w);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) hwc[i * c + k] = src[k * h * w + i];
  return new Image(w, h, 'RGB', hwc);
}
