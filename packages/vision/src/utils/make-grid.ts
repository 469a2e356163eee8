// torchvision.utils.make_grid and save_image, computed on the host (they only arrange pixels).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '@proj/core';
import { encodePng } from './png.js';

/** `make_grid`'s keywords. */
export interface MakeGridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** Pixels between images (default 2). */
  padding?: number;
  /** Shift each value to [0, 1] by the min and max of `valueRange` or of the images (default false). */
  normalize?: boolean;
  valueRange?: readonly [number, number] | null;
  /** Normalise each image by its own min and max (default false). */
  scaleEach?: boolean;
  /** The value of the padding (default 0). */
  padValue?: number;
}

/** A grid as torchvision's make_grid returns it: 3 channels, [3, H, W] row-major. */
export interface Grid {
  values: Float32Array;
  height: number;
  width: number;
}

function normaliseRange(v: Float32Array, lo: number, hi: number): void {
  for (let i = 0; i < v.length; i++) {
    const c = Math.min(hi, Math.max(lo, v[i]));
    v[i] = (c - lo) / Math.max(hi - lo, 1e-5);
  }
}

/** `torchvision.utils.make_grid(tensor, nrow=8, padding=2, normalize=False, …)` of images [B, C, H, W]. */
export function makeGrid(images: Tensor, opts: MakeGridOptions = {}): Grid {
  const {
    nrow = 8,
    padding = 2,
    normalize = false,
    valueRange = null,
    scaleEach = false,
    padValue = 0,
  } = opts;
  const shape = images.ndim === 3 ? [1, ...images.shape] : images.shape;
  if (shape.length !== 4 || (shape[1] !== 1 && shape[1] !== 3)) {
    throw new Error(`makeGrid: expected images [B, 1 or 3, H, W], got [${images.shape.join(', ')}]`);
  }
  const [b, c, h, w] = shape;
  const src = Float32Array.from(images.detach().float().contiguous().dataSync() as Float32Array);
  const per = c * h * w;
  if (normalize) {
    if (scaleEach) {
      for (let k = 0; k < b; k++) {
        const img = src.subarray(k * per, (k + 1) * per);
        normaliseRange(img, ...(valueRange ?? [Math.min(...img), Math.max(...img)]));
      }
    } else {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of src) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      normaliseRange(src, ...(valueRange ?? [lo, hi]));
    }
  }
  const xmaps = Math.min(nrow, b);
  const ymaps = Math.ceil(b / xmaps);
  const cellH = h + padding;
  const cellW = w + padding;
  const height = cellH * ymaps + padding;
  const width = cellW * xmaps + padding;
  const values = new Float32Array(3 * height * width).fill(padValue);
  for (let k = 0; k < b; k++) {
    const y0 = Math.floor(k / xmaps) * cellH + padding;
    const x0 = (k % xmaps) * cellW + padding;
    for (let ch = 0; ch < 3; ch++) {
      const from = k * per + (c === 1 ? 0 : ch) * h * w;
      for (let y = 0; y < h; y++) {
        const row = (ch * height + y0 + y) * width + x0;
        values.set(src.subarray(from + y * w, from + (y + 1) * w), row);
      }
    }
  }
  return { values, height, width };
}

/** `torchvision.utils.save_image(tensor, fp, **make_grid_kwargs)`: writes the grid as a PNG file. */
export function saveImage(images: Tensor, fp: string, opts: MakeGridOptions = {}): void {
  const { values, height, width } = makeGrid(images, opts);
  const rgb = new Uint8Array(height * width * 3);
  for (let ch = 0; ch < 3; ch++) {
    for (let i = 0; i < height * width; i++) {
      // grid.mul(255).add_(0.5).clamp_(0, 255) then to uint8 (truncation), as torchvision does.
      rgb[i * 3 + ch] = Math.trunc(Math.min(255, Math.max(0, values[ch * height * width + i] * 255 + 0.5)));
    }
  }
  mkdirSync(dirname(fp), { recursive: true });
  writeFileSync(fp, encodePng(rgb, width, height));
}
