// Reading image files by their content (as PIL's Image.open), for ImageFolder and users.
import { readFileSync } from 'node:fs';
import type { Image } from '../image.js';
import { decodeJpeg, isJpeg } from './jpeg.js';
import { decodePng, isPng } from './png.js';

/**
 * Decodes PNG or JPEG bytes (told apart by their first bytes, not the file name) to an RGB
 * {@link Image}; anything else is an error naming `name` and what its first bytes are.
 *
 * @throws Error if the bytes are neither PNG nor JPEG, or damaged.
 */
export function decodeImage(bytes: Uint8Array, name = 'image data'): Image {
  if (isPng(bytes)) return decodePng(bytes, name);
  if (isJpeg(bytes)) return decodeJpeg(bytes, name);
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `decodeImage: ${name} is neither PNG nor JPEG (it starts with ${head || 'nothing: the file is empty'}); only PNG and JPEG can be decoded`,
  );
}

/**
 * Reads a PNG or JPEG file as an RGB {@link Image} (torchvision's default loader,
 * `Image.open(path).convert('RGB')`).
 *
 * @throws Error if the file is neither PNG nor JPEG or is damaged (naming `path`); file-system
 * errors (a missing file) are passed on.
 *
 * @example
 * ```ts
 * import { io, transforms } from '@proj/vision/node';
 * const x = transforms.ToTensor()(io.readImage('cat.jpg')); // float32 [3, H, W]
 * ```
 */
export function readImage(path: string): Image {
  return decodeImage(readFileSync(path), path);
}
