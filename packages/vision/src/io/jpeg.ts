// JPEG files through jpeg-js (pure JavaScript): decoding to an Image, encoding one.
import jpeg from 'jpeg-js';
import { Image } from '../image.js';

/** True when `bytes` start with a JPEG start-of-image marker (FF D8 FF). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Decodes a baseline or progressive JPEG file to an RGB {@link Image}. Truncated or damaged
 * data is an error naming `name` (jpeg-js's tolerant mode is off). jpeg-js's inverse DCT is
 * not libjpeg's, so a pixel can differ from PIL's by a level or two.
 *
 * @throws Error naming `name` if the data is not a readable JPEG file.
 */
export function decodeJpeg(bytes: Uint8Array, name = 'JPEG data'): Image {
  let out: { width: number; height: number; data: Uint8Array };
  try {
    out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  } catch (e) {
    throw new Error(`decodeJpeg: ${name} is not a readable JPEG file: ${(e as Error).message}`);
  }
  const { width, height, data } = out;
  if (data.length === width * height) {
    // A grayscale JPEG: PIL's convert('RGB') repeats the value.
    return new Image(width, height, 'L', data).convert('RGB');
  }
  if (data.length !== width * height * 3) {
    throw new Error(
      `decodeJpeg: ${name} decoded to ${data.length} bytes for ${width}x${height} pixels (not gray or RGB)`,
    );
  }
  return new Image(width, height, 'RGB', data);
}

/**
 * Encodes an {@link Image} as a JPEG file at `quality` (1..100; PIL's default 75). A grayscale
 * image is written as RGB.
 *
 * @throws Error if `img` is not an Image.
 */
export function encodeJpeg(img: Image, quality = 75): Uint8Array {
  if (!(img instanceof Image)) throw new Error('encodeJpeg: expected an Image');
  const rgb = img.mode === 'RGB' ? img : img.convert('RGB');
  const rgba = new Uint8Array(rgb.width * rgb.height * 4);
  for (let i = 0, o = 0; i < rgb.data.length; i += 3, o += 4) {
    rgba[o] = rgb.data[i];
    rgba[o + 1] = rgb.data[i + 1];
    rgba[o + 2] = rgb.data[i + 2];
    rgba[o + 3] = 255;
  }
  const out = jpeg.encode({ width: rgb.width, height: rgb.height, data: rgba }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
