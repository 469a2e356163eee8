// Named series over steps or epochs (loss curves and the like), drawn as SVG.
import { type LineChartOptions, type LineSeries, lineChart } from './charts.js';
import { renderSvg } from './render.js';

/** Series for {@link curvesSvg}: an array of named series, or an object of name → values. */
export type CurvesInput = readonly LineSeries[] | Readonly<Record<string, readonly number[]>>;

/** Options of {@link curvesSvg}. */
export interface CurvesOptions extends Omit<LineChartOptions, 'xTitle' | 'yTitle'> {
  /** The x axis title (default 'step'). */
  xTitle?: string;
  /** The y axis title (default 'value'; '' for none). */
  yTitle?: string;
}

/** @internal The series of either form, in order. */
export function toSeries(input: CurvesInput): LineSeries[] {
  if (Array.isArray(input)) return [...(input as readonly LineSeries[])];
  return Object.entries(input as Record<string, readonly number[]>).map(([name, y]) => ({ name, y }));
}

/**
 * A line chart of one or more named series as SVG: each series' values over their index (or
 * their own `x`), one colour each, the legend in the order given. `logY` draws the y axis
 * logarithmic (every value must then be positive); `facet` puts `'panel/series'` names into
 * panels. Non-finite values are left out. Short series (30 values or fewer) get a dot per value.
 *
 * @throws Error if no series is given, a series' `x` and `y` differ in length, or `logY` meets
 * a value <= 0.
 *
 * @example
 * ```ts
 * const svg = await curvesSvg({ 'train loss': [2.3, 1.1, 0.6], 'val loss': [2.2, 1.2, 0.8] },
 *   { xTitle: 'epoch', logY: true });
 * ```
 */
export async function curvesSvg(series: CurvesInput, options: CurvesOptions = {}): Promise<string> {
  const list = toSeries(series);
  if (list.length === 0) throw new Error('curvesSvg: no series given');
  return renderSvg(
    lineChart(list, { ...options, xTitle: options.xTitle ?? 'step', yTitle: options.yTitle ?? 'value' }),
  );
}
