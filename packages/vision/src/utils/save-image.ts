// torchvision.utils.save_image: a grid of images written as a PNG (or JPEG) file (Node).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { type Tensor, tidy } from '@proj/core';
import { Image } from '../image.js';
import { encodeJpeg } from '../io/jpeg.js';
import { encodePng } from '../io/png.js';
import { type MakeGridOptions, makeGrid } from './make-grid.js';

/** Options of {@link saveImage}: {@link makeGrid}'s, and the file format. */
export interface SaveImageOptions extends MakeGridOptions {
  /** `'png'` or `'jpeg'`; default from the file's extension (.png, .jpg, .jpeg). */
  format?: 'png' | 'jpeg' | null;
}

/**
 * The bytes {@link saveImage} writes for a grid [C, H, W] (float in [0, 1]): torchvision's
 * `grid.mul(255).add_(0.5).clamp_(0, 255)` truncated to bytes, in float32.
 *
 * @throws Error if `grid` is not a float tensor [1 or 3, H, W].
 */
export function gridToImage(grid: Tensor): Image {
  const op = 'saveImage';
  if (grid.ndim !== 3 || (grid.shape[0] !== 1 && grid.shape[0] !== 3)) {
    throw new Error(`${op}: expected a grid [1 or 3, H, W], got [${grid.shape.join(', ')}]`);
  }
  if (grid.dtype !== 'float32' && grid.dtype !== 'float64') {
    throw new Error(`${op}: expected float images with values in [0, 1], got ${grid.dtype}`);
  }
  const [c, h, w] = grid.shape;
  const v = tidy(() => grid.contiguous().dataSync() as Float32Array | Float64Array);
  const f = Math.fround;
  const out = new Uint8Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h * w; i++) {
      out[i * c + ch] = Math.trunc(Math.min(255, Math.max(0, f(f(v[ch * h * w + i] * 255) + 0.5))));
    }
  }
  return new Image(w, h, c === 1 ? 'L' : 'RGB', out);
}

/**
 * `torchvision.utils.save_image(tensor, fp, **make_grid_kwargs)`: lays the images out with
 * {@link makeGrid} and writes the grid as an 8-bit PNG (or JPEG, quality 75, for .jpg/.jpeg)
 * file, creating its folder. `opts` are {@link makeGrid}'s, plus `format` when the name does
 * not tell it.
 *
 * @throws Error if the format is neither given nor told by the extension, or as
 * {@link makeGrid} throws; file-system errors are passed on.
 *
 * ```ts
 * utils.saveImage(samples.view(64, 1, 28, 28), 'out/sample.png', { nrow: 8 });
 * ```
 */
export function saveImage(images: Tensor | readonly Tensor[], fp: string, opts: SaveImageOptions = {}): void {
  const ext = extname(fp).toLowerCase();
  const format = opts.format ?? (ext === '.png' ? 'png' : ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : null);
  if (format !== 'png' && format !== 'jpeg') {
    throw new Error(
      `saveImage: cannot tell the format of ${fp}: use a .png, .jpg or .jpeg name, or pass format 'png' or 'jpeg'`,
    );
  }
  const img = tidy(() => gridToImage(makeGrid(images, opts)));
  mkdirSync(dirname(fp), { recursive: true });
  writeFileSync(fp, format === 'png' ? encodePng(img) : encodeJpeg(img));
}
