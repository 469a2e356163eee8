// torchvision.utils.make_grid: a batch of images laid out in rows, as one image tensor.
import { stack, Tensor, tensor, tidy } from '@proj/core';

/** `make_grid`'s keywords. */
export interface MakeGridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** Pixels between and around the images (default 2). */
  padding?: number;
  /** Shift the values to [0, 1] by `valueRange`, or by the min and max of the images (default false). */
  normalize?: boolean;
  /** `[min, max]` for `normalize`: values are clamped to it, then mapped to [0, 1]. */
  valueRange?: readonly [number, number] | null;
  /** With `normalize`, each image by its own min and max (default false). */
  scaleEach?: boolean;
  /** The value of the padding (default 0). */
  padValue?: number;
}

type Values = Float32Array | Float64Array;

/**
 * torchvision's `norm_ip` in the tensor's precision: clamp to [low, high], subtract low,
 * divide by max(high - low, 1e-5).
 */
function normalizeRange(v: Values, low: number, high: number): void {
  const f = v instanceof Float32Array ? Math.fround : (x: number) => x;
  const lo = f(low);
  const hi = f(high);
  const span = f(Math.max(high - low, 1e-5));
  for (let i = 0; i < v.length; i++) v[i] = f(f(Math.min(hi, Math.max(lo, v[i])) - lo) / span);
}

function minMax(v: Values): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/**
 * `torchvision.utils.make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None,
 * scale_each=False, pad_value=0)`: images [B, C, H, W] (or a list of [C, H, W], or one image
 * [C, H, W] / [H, W]) laid out `nrow` per row with `padding` pixels of `padValue` between and
 * around them, as a float32 tensor [C, rows·(H + padding) + padding, …]. One-channel images
 * become three channels; a single image is returned without padding, as torchvision does.
 *
 * @throws Error if `nrow` is not a positive integer, `padding` not a non-negative integer,
 * `valueRange` not a pair, the images not of rank 2 to 4 (or an empty list), or their dtype
 * neither float nor uint8 (uint8 only without `normalize`).
 *
 * ```ts
 * const grid = utils.makeGrid(fake, { nrow: 8, normalize: true }); // [3, H', W'] in [0, 1]
 * ```
 */
export function makeGrid(images: Tensor | readonly Tensor[], opts: MakeGridOptions = {}): Tensor {
  const op = 'makeGrid';
  const {
    nrow = 8,
    padding = 2,
    normalize = false,
    valueRange = null,
    scaleEach = false,
    padValue = 0,
  } = opts;
  if (!Number.isInteger(nrow) || nrow < 1)
    throw new Error(`${op}: nrow must be a positive integer, got ${nrow}`);
  if (!Number.isInteger(padding) || padding < 0)
    throw new Error(`${op}: padding must be a non-negative integer, got ${padding}`);
  if (valueRange !== null && (!Array.isArray(valueRange) || valueRange.length !== 2)) {
    throw new Error(`${op}: valueRange has to be a pair [min, max], got ${JSON.stringify(valueRange)}`);
  }
  return tidy(() => {
    let x: Tensor;
    if (Array.isArray(images)) {
      if (images.length === 0 || images.some((t) => !(t instanceof Tensor))) {
        throw new Error(`${op}: expected a tensor or a non-empty list of tensors`);
      }
      x = stack(images as Tensor[], 0);
    } else if (images instanceof Tensor) x = images;
    else throw new Error(`${op}: expected a tensor or a list of tensors, got ${typeof images}`);
    if (x.ndim === 2) x = x.unsqueeze(0);
    if (x.ndim === 3) x = x.unsqueeze(0);
    if (x.ndim !== 4)
      throw new Error(
        `${op}: expected images [B, C, H, W], [C, H, W] or [H, W], got [${x.shape.join(', ')}]`,
      );
    if (x.dtype !== 'float32' && x.dtype !== 'float64' && !(x.dtype === 'uint8' && !normalize)) {
      throw new Error(`${op}: expected a float tensor (or uint8 without normalize), got ${x.dtype}`);
    }
    const [b, c0, h, w] = x.shape;
    const c = c0 === 1 ? 3 : c0;
    const per = c0 * h * w;
    const raw = x.contiguous().dataSync() as ArrayLike<number>;
    const src: Values = x.dtype === 'float64' ? Float64Array.from(raw) : Float32Array.from(raw);
    if (normalize) {
      if (scaleEach) {
        for (let k = 0; k < b; k++) {
          const img = src.subarray(k * per, (k + 1) * per);
          const [lo, hi] = valueRange ?? minMax(img);
          normalizeRange(img, lo, hi);
        }
      } else {
        const [lo, hi] = valueRange ?? minMax(src);
        normalizeRange(src, lo, hi);
      }
    }
    const outDtype = x.dtype;
    if (b === 1) {
      const one = c0 === 1 ? Float64Array.from({ length: 3 * h * w }, (_, i) => src[i % (h * w)]) : src;
      return tensor(one, { dtype: outDtype }).reshape(c, h, w);
    }
    const xmaps = Math.min(nrow, b);
    const ymaps = Math.ceil(b / xmaps);
    const cellH = h + padding;
    const cellW = w + padding;
    const height = cellH * ymaps + padding;
    const width = cellW * xmaps + padding;
    const grid = new Float64Array(c * height * width).fill(padValue);
    for (let k = 0; k < b; k++) {
      const y0 = Math.floor(k / xmaps) * cellH + padding;
      const x0 = (k % xmaps) * cellW + padding;
      for (let ch = 0; ch < c; ch++) {
        const from = k * per + (c0 === 1 ? 0 : ch) * h * w;
        for (let y = 0; y < h; y++) {
          grid.set(src.subarray(from + y * w, from + (y + 1) * w), (ch * height + y0 + y) * width + x0);
        }
      }
    }
    return tensor(grid, { dtype: outDtype }).reshape(c, height, width);
  });
}
