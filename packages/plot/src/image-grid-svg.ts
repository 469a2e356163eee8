// A grid of sample images (torchvision's make_grid, drawn): each image an embedded PNG, with an
// optional caption under it.
import type { TopLevelSpec } from 'vega-lite';
import { type ImagesInput, toPixels, type ValueOptions } from './image-input.js';
import { dataUrl, encodePng } from './png-encode.js';
import { renderSvg } from './render.js';
import { base } from './style.js';

/** Options of {@link imageGridSvg}. */
export interface ImageGridOptions extends ValueOptions {
  /** A caption under each image (the class, or 'true → predicted'); one per image. */
  labels?: readonly string[];
  /** Images per row (torchvision's `nrow`; default 8). */
  nrow?: number;
  /** Screen pixels per image pixel (default 2: a 28 x 28 digit is drawn 56 x 56). */
  scale?: number;
  /** Space between images in screen pixels (default 4). */
  padding?: number;
  /** A title above the grid. */
  title?: string;
}

const LABEL_HEIGHT = 14;

function positive(op: string, name: string, v: number | undefined, dflt: number, integer: boolean): number {
  if (v === undefined) return dflt;
  if (!(Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v)))) {
    throw new Error(`${op}: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
  return v;
}

/**
 * Renders images in a grid, `nrow` to a row, as SVG (torchvision's `make_grid` + `save_image`,
 * with captions). Grayscale or RGB: a tensor `[N, C, H, W]` (C = 1 or 3), one image `[C, H, W]`
 * or `[H, W]`, or an array of tensors or nested arrays. Float values are taken as 0..1 (clamped)
 * unless `normalize` is set; uint8 tensors as 0..255. Each image is embedded as a PNG and drawn
 * with crisp (unsmoothed) pixels.
 *
 * @throws Error if the images are of another rank, ragged, not all one size, not 1 or 3
 * channels, empty or holding NaN; if `labels` are not one per image; or if `nrow`, `scale`,
 * `padding` or `valueRange` is out of range.
 *
 * @example
 * ```ts
 * // the first 16 images of a batch [N, 1, 28, 28] with their labels [N]
 * const labels = (y.narrow(0, 0, 16).toArray() as number[]).map(String);
 * const svg = await imageGridSvg(x.narrow(0, 0, 16), { nrow: 8, labels });
 * ```
 */
export async function imageGridSvg(images: ImagesInput, opts: ImageGridOptions = {}): Promise<string> {
  const op = 'imageGridSvg';
  const px = await toPixels(op, images, opts);
  const n = px.images.length;
  if (opts.labels && opts.labels.length !== n) {
    throw new Error(`${op}: got ${opts.labels.length} labels for ${n} images`);
  }
  const nrow = positive(op, 'nrow', opts.nrow, 8, true);
  const zoom = positive(op, 'scale', opts.scale, 2, false);
  const pad = opts.padding ?? 4;
  if (!(Number.isFinite(pad) && pad >= 0)) throw new Error(`${op}: padding must be >= 0, got ${pad}`);
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const w = px.width * zoom;
  const h = px.height * zoom;
  const labelH = opts.labels ? LABEL_HEIGHT : 0;
  const values = px.images.map((img, i) => ({
    x: (i % cols) * (w + pad),
    y: Math.floor(i / cols) * (h + labelH + pad),
    url: dataUrl('image/png', encodePng(px.width, px.height, px.channels, img)),
    label: opts.labels?.[i] ?? '',
  }));
  // Positions are screen pixels: no scales, no axes.
  const at = {
    x: { field: 'x', type: 'quantitative', scale: null, axis: null },
    y: { field: 'y', type: 'quantitative', scale: null, axis: null },
  };
  const layer: object[] = [
    {
      // aria: false, or Vega repeats each data URL in an aria-label.
      mark: {
        type: 'image',
        width: w,
        height: h,
        aspect: false,
        align: 'left',
        baseline: 'top',
        smooth: false,
        aria: false,
      },
      encoding: { ...at, url: { field: 'url', type: 'nominal' } },
    },
  ];
  if (opts.labels) {
    layer.push({
      mark: {
        type: 'text',
        baseline: 'top',
        align: 'center',
        dx: w / 2,
        dy: h + 2,
        fontSize: 10,
        aria: false,
      },
      encoding: { ...at, text: { field: 'label', type: 'nominal' } },
    });
  }
  const spec = {
    ...base(
      { title: opts.title },
      { width: cols * (w + pad) - pad, height: rows * (h + labelH + pad) - pad },
    ),
    data: { values },
    layer,
    view: { stroke: null },
  } as TopLevelSpec;
  return renderSvg(spec);
}
