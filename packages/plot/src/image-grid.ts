// A Vega-Lite picture of small images (MNIST digits, saliency maps): one rect per pixel.
import type { TopLevelSpec } from 'vega-lite';

/** One row of images: a label and `[H][W]` pixel values. */
export interface ImageRow {
  label: string;
  images: readonly (readonly (readonly number[])[])[];
}

/**
 * Rows of grayscale images side by side, each image scaled to its own min..max (or shown with a
 * colour `scheme` such as 'reds' for heatmaps). Row labels are written on the left.
 */
export function imageGrid(
  rows: readonly ImageRow[],
  opts: { title?: string; scheme?: string; pixel?: number } = {},
): TopLevelSpec {
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
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    background: 'white',
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
