// PNG files through pngjs (Node: it builds on zlib): decoding to an Image, encoding one.
import { PNG, type PNGWithMetadata } from 'pngjs';
import { Image } from '../image.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Decodes a PNG file to an RGB {@link Image}, as PIL's `Image.open(f).convert('RGB')`:
 * grayscale is repeated into R, G and B, palettes are looked up, alpha is dropped (not
 * blended). 16-bit samples are scaled to 8 bits (PIL clips them instead). A damaged file
 * (bad signature, CRC or data) is an error naming `name`.
 *
 * @throws Error naming `name` if the data is not a readable PNG file.
 */
export function decodePng(bytes: Uint8Array, name = 'PNG data'): Image {
  let png: PNGWithMetadata;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`decodePng: ${name} is not a readable PNG file: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = data[i];
    rgb[o + 1] = data[i + 1];
    rgb[o + 2] = data[i + 2];
  }
  return new Image(width, height, 'RGB', rgb);
}

/**
 * Encodes an {@link Image} as an 8-bit PNG file (grayscale for mode 'L', RGB for 'RGB').
 *
 * @throws Error if `img` is not an Image.
 *
 * @example
 * ```ts
 * writeFileSync('digit.png', io.encodePng(new Image(28, 28, 'L', pixels)));
 * ```
 */
export function encodePng(img: Image): Uint8Array {
  if (!(img instanceof Image)) throw new Error('encodePng: expected an Image');
  const colorType = img.mode === 'L' ? 0 : 2;
  const png = new PNG({
    width: img.width,
    height: img.height,
    colorType,
    inputColorType: colorType,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const out = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
