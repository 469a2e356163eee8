// The one look of every chart: what each spec shares (schema, size, background, fonts, axes).
import type { TopLevelSpec } from 'vega-lite';

/**
 * The font list every chart asks for. Vega's default, plain `sans-serif`, leaves the choice to
 * the renderer, and resvg (the PNG renderer) maps it to Arial, which Linux machines rarely
 * have; naming the usual sans-serif faces of macOS, Windows and Linux (Liberation Sans and
 * DejaVu Sans ship with most distributions) gives the same face in browsers and in PNGs.
 */
export const FONT = 'Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

/** The Vega-Lite schema the specs are written against. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Options every chart takes. */
export interface ChartOptions {
  /** A title above the chart. */
  title?: string;
  /** Width of the plotting area in pixels (default 420; axes and legend come on top). */
  width?: number;
  /** Height of the plotting area in pixels (default 260). */
  height?: number;
}

/** The shared configuration: fonts, font sizes, a light grid, a left-aligned title. */
export const CONFIG = {
  font: FONT,
  title: { fontSize: 14, anchor: 'start', offset: 8 },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 0 },
  header: { labelFontSize: 11, titleFontSize: 11 },
} as const;

/**
 * The top-level properties every spec starts from: schema, title, size, white background
 * (a transparent PNG is unreadable in dark image viewers) and {@link CONFIG}.
 */
export function base(
  opts: ChartOptions,
  defaults: { width: number; height: number } = { width: 420, height: 260 },
): Pick<TopLevelSpec, '$schema' | 'title' | 'background' | 'config'> & { width: number; height: number } {
  return {
    $schema: SCHEMA,
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? defaults.width,
    height: opts.height ?? defaults.height,
    background: 'white',
    config: CONFIG as TopLevelSpec['config'],
  };
}
