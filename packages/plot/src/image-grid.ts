// A Vega-Lite picture of small images (saliency maps, reconstructions): one rect per pixel, so a
// colour scheme can map values; `imageGridSvg` draws plain grayscale or RGB images more compactly.
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './style.js';

/** One row of images: a label and `[H][W]` pixel values. */
export interface ImageRow {
  /** Written left of the row. */
  label: string;
  /** The row's images, each `[H][W]` (all of the first image's size). */
  images: readonly (readonly (readonly number[])[])[];
}

/**
 * Rows of grayscale images side by side, each image scaled to its own min..max (or shown with a
 * colour `scheme` such as 'reds' for heatmaps). Row labels are written on the left. `pixel` is
 * the drawn size of one image pixel (default 3). Returns the spec, for `renderSvg`.
 *
 * @throws Error if no image is given.
 */
export function imageGrid(
  rows: readonly ImageRow[],
  opts: { title?: string; scheme?: string; pixel?: number } = {},
): TopLevelSpec {
  if (rows.length === 0 || rows[0].images.length === 0) throw new Error('imageGrid: no images given');
  const px = opts.pixel ?? 3;
  const values: { row: string; col: number; x: number; y: number; v: number }[] = [];
  for (const row of rows) {
    row.images.forEach((img, col) => {
      const flat = img.flat();
      const lo = Math.min(...flat);
      const span = Math.max(...flat) - lo || 1;
      img.forEach((line, y) => {
        line.forEach((v, x) => {
          values.push({ row: row.label, col, x, y, v: (v - lo) / span });
        });
      });
    });
  }
  const h = rows[0].images[0].length;
  const w = rows[0].images[0][0].length;
  return {
    $schema: SCHEMA,
    ...(opts.title ? { title: opts.title } : {}),
    background: 'white',
    config: CONFIG,
    data: { values },
    facet: {
      row: { field: 'row', type: 'nominal', title: null, sort: rows.map((r) => r.label) },
      column: { field: 'col', type: 'ordinal', title: null, header: { labels: false } },
    },
    spacing: 4,
    spec: {
      width: w * px,
      height: h * px,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: {
          field: 'v',
          type: 'quantitative',
          legend: null,
          scale: opts.scheme
            ? { scheme: opts.scheme, domain: [0, 1] }
            : { range: ['black', 'white'], domain: [0, 1] },
        },
      },
    },
  } as TopLevelSpec;
}
