// Draws 28x28 maps: a saliency map (|gradient| per input pixel) as a heat map (black → red →
// yellow → white), and the model's input in grey.

/** The "hot" colour map at t in [0, 1]. */
export function hot(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, t));
  return [Math.min(1, 3 * c), Math.min(1, Math.max(0, 3 * c - 1)), Math.max(0, 3 * c - 2)].map((v) =>
    Math.round(255 * v),
  ) as [number, number, number];
}

/** What a drawn map holds: its largest value and how many pixels are lit. */
export interface HeatmapStats {
  max: number;
  litPixels: number;
}

/** Grey levels at t in [0, 1]. */
export function grey(t: number): [number, number, number] {
  const v = Math.round(255 * Math.min(1, Math.max(0, t)));
  return [v, v, v];
}

/**
 * Draws `values` (side x side) into `canvas` (of that size; CSS scales it up without
 * smoothing), each scaled by the largest, through `palette` ({@link hot} by default). An
 * all-zero map is drawn black.
 */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  { side = 28, palette = hot }: { side?: number; palette?: (t: number) => [number, number, number] } = {},
): HeatmapStats {
  if (values.length !== side * side)
    throw new Error(`drawHeatmap: ${values.length} values for ${side}x${side}`);
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('drawHeatmap: the canvas gives no 2d context');
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const img = ctx.createImageData(side, side);
  let lit = 0;
  values.forEach((v, i) => {
    const rgb = palette(max > 0 ? v / max : 0);
    if (rgb[0] + rgb[1] + rgb[2] > 0) lit++;
    img.data.set([...rgb, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  return { max, litPixels: lit };
}

/** Counts the non-black pixels actually on `canvas` (what the user sees). */
export function countLit(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 0) n++;
  return n;
}
