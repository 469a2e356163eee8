// What image grids accept (tensors or nested arrays, grayscale or RGB) and its conversion to
// 8-bit pixels, with torchvision's make_grid rules for shapes and value ranges.
import { Tensor } from '@proj/core';

/** One image as nested numbers: `[H][W]` (grayscale) or `[C][H][W]` with C = 1 or 3. */
export type NestedImage = readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];

/**
 * Images for {@link imageGridSvg}, as torchvision's `make_grid` takes them: a tensor
 * `[N, C, H, W]` (C = 1 or 3), or one image `[C, H, W]` or `[H, W]`, or an array of images,
 * each a tensor `[C, H, W]` / `[H, W]` or nested numbers. A batch of grayscale images
 * `[N, H, W]` is `x.unsqueeze(1)`.
 */
export type ImagesInput = Tensor | readonly (Tensor | NestedImage)[];

/** How values map to 0..255 (torchvision's `make_grid` options). */
export interface ValueOptions {
  /**
   * Shift each image's values to 0..1 by its min and max (or by `valueRange`), as
   * torchvision's `normalize=True`. Without it, float values are taken as 0..1 and clamped
   * there; uint8 tensors as 0..255.
   */
  normalize?: boolean;
  /** With `normalize`: the values that become black and white (default: the min and max). */
  valueRange?: readonly [number, number];
  /** With `normalize`: each image by its own min and max rather than the batch's (default false). */
  scaleEach?: boolean;
}

/** @internal 8-bit images of one size, gray (1 channel) or RGB (3), channels interleaved. */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 3;
  images: Uint8Array[];
}

interface Raw {
  shape: [number, number, number]; // C, H, W
  values: Float64Array;
  uint8: boolean;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function fromNested(op: string, img: NestedImage, i: number): Raw {
  const deep = Array.isArray(img[0]?.[0]);
  const chw = (deep ? img : [img]) as readonly (readonly (readonly number[])[])[];
  const c = chw.length;
  const h = chw[0]?.length ?? 0;
  const w = chw[0]?.[0]?.length ?? 0;
  const values = new Float64Array(c * h * w);
  let k = 0;
  for (const plane of chw) {
    if (plane.length !== h) throw new Error(`${op}: image ${i} is ragged: its channels differ in height`);
    for (const row of plane) {
      if (row.length !== w) throw new Error(`${op}: image ${i} is ragged: its rows differ in length`);
      for (const v of row) values[k++] = v;
    }
  }
  return { shape: [c, h, w], values, uint8: false };
}

async function fromTensor(op: string, t: Tensor, what: string): Promise<Raw[]> {
  const s = t.shape;
  if (s.length < 2 || s.length > 4) {
    throw new Error(`${op}: ${what} must be [N, C, H, W], [C, H, W] or [H, W], got ${fmt(s)}`);
  }
  const data = await t.data();
  const all = Float64Array.from(data as ArrayLike<number | bigint>, Number);
  const [n, c, h, w] = s.length === 4 ? s : s.length === 3 ? [1, ...s] : [1, 1, ...s];
  const size = c * h * w;
  return Array.from({ length: n }, (_, i) => ({
    shape: [c, h, w] as [number, number, number],
    values: all.subarray(i * size, (i + 1) * size),
    uint8: t.dtype === 'uint8',
  }));
}

/** @internal Reads `input` into 8-bit pixels; errors name `op` and what was wrong. */
export async function toPixels(op: string, input: ImagesInput, opts: ValueOptions = {}): Promise<Pixels> {
  const raws: Raw[] = [];
  if (input instanceof Tensor) raws.push(...(await fromTensor(op, input, 'the images tensor')));
  else if (Array.isArray(input)) {
    for (const [i, img] of (input as readonly (Tensor | NestedImage)[]).entries()) {
      if (img instanceof Tensor) {
        if (img.ndim !== 2 && img.ndim !== 3) {
          throw new Error(`${op}: image ${i} must be a [C, H, W] or [H, W] tensor, got ${fmt(img.shape)}`);
        }
        raws.push(...(await fromTensor(op, img, `image ${i}`)));
      } else raws.push(fromNested(op, img, i));
    }
  } else {
    throw new Error(`${op}: images must be a tensor or an array of images, got ${typeof input}`);
  }
  if (raws.length === 0) throw new Error(`${op}: no images given`);
  const [c, h, w] = raws[0].shape;
  raws.forEach((r, i) => {
    if (r.shape.join() !== raws[0].shape.join()) {
      throw new Error(
        `${op}: all images must have one size; image 0 is ${fmt(raws[0].shape)}, image ${i} ${fmt(r.shape)} (as [C, H, W])`,
      );
    }
    const bad = r.values.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new Error(`${op}: image ${i} holds NaN (at flat index ${bad})`);
  });
  if (c !== 1 && c !== 3) {
    throw new Error(
      `${op}: images need 1 (gray) or 3 (RGB) channels, got shape ${fmt(raws[0].shape)} as [C, H, W]` +
        (input instanceof Tensor && input.ndim === 3
          ? ' (a 3-D tensor is one [C, H, W] image, as in torchvision; a batch of grayscale images is x.unsqueeze(1))'
          : ''),
    );
  }
  if (h === 0 || w === 0) throw new Error(`${op}: images are empty (shape ${fmt(raws[0].shape)})`);
  return { width: w, height: h, channels: c, images: scale(op, raws, opts) };
}

function range(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Maps values to bytes and interleaves channels (CHW to HWC). */
function scale(op: string, raws: Raw[], opts: ValueOptions): Uint8Array[] {
  if (opts.valueRange && !(opts.valueRange[0] < opts.valueRange[1])) {
    throw new Error(
      `${op}: valueRange must be [low, high] with low < high, got [${opts.valueRange.join(', ')}]`,
    );
  }
  let batch: [number, number] | null = null;
  if (opts.normalize && !opts.scaleEach && !opts.valueRange) {
    batch = raws.map((r) => range(r.values)).reduce(([a, b], [c, d]) => [Math.min(a, c), Math.max(b, d)]);
  }
  return raws.map((r) => {
    const [c, h, w] = r.shape;
    let lo = 0;
    let hi = r.uint8 ? 255 : 1;
    if (opts.normalize) [lo, hi] = opts.valueRange ?? batch ?? range(r.values);
    // torchvision's norm_ip: clamp to the range, then divide by max(high - low, 1e-5).
    const span = Math.max(hi - lo, 1e-5);
    const out = new Uint8Array(c * h * w);
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) {
        const v = Math.min(Math.max(r.values[ch * h * w + p], lo), hi);
        out[p * c + ch] = Math.round(((v - lo) / span) * 255);
      }
    }
    return out;
  });
}
