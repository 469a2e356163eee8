// Vega-Lite spec builders for the common chart kinds; render them with `renderSvg`.
// The specs are Vega-Lite's own type, whose typings (vega-typings) name DOM types: the lib
// reference keeps a consumer without lib "DOM" (a Node project) compiling with skipLibCheck off.
/// <reference lib="dom" preserve="true" />
import type { TopLevelSpec } from 'vega-lite';
import { base, type ChartOptions, CONFIG, SCHEMA } from './style.js';

export type { ChartOptions } from './style.js';

/** One row of a long-format table, as Vega-Lite consumes data. */
export type Row = Record<string, number | string>;

/** A named series of y values, plotted against its index (or against `x`). */
export interface Series {
  /** The legend entry (with `facet`, `'panel/series'`). */
  name: string;
  /** The values; non-finite ones (NaN, ±Infinity) are left out, leaving a gap. */
  y: readonly number[];
  /** The x of each value (default: its index). */
  x?: readonly number[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** The x axis title (default 'x'). */
  xTitle?: string;
  /** The y axis title (default 'y'; '' for none). */
  yTitle?: string;
  /** A logarithmic y axis; every value must then be positive. */
  logY?: boolean;
  /** One panel per `'panel/series'` name prefix, two panels a row, each with its own y scale. */
  facet?: boolean;
  /** Integer ticks on the x axis (epochs). */
  integerX?: boolean;
}

/** A {@link Series} that may ask for a dot on each value. */
export interface LineSeries extends Series {
  /** Draw a dot on each value (default: when the series has at most 30 values, as epochs do). */
  points?: boolean;
}

/**
 * A line chart of several series (loss curves, learning rates, activations), coloured and
 * listed in the legend in the order given. With `facet`, one panel per facet value: series
 * carry their panel in `name` as `'panel/series'`, panels come in order of first appearance.
 * Returns the Vega-Lite spec; {@link renderSvg} draws it.
 *
 * @throws Error if a series' `x` and `y` differ in length, or `logY` meets a value <= 0.
 *
 * @example
 * ```ts
 * const spec = lineChart([{ name: 'sin', y: xs.map(Math.sin), x: xs }], { title: 'sin', xTitle: 't' });
 * const svg = await renderSvg(spec);
 * ```
 */
export function lineChart(series: readonly LineSeries[], opts: LineChartOptions = {}): TopLevelSpec {
  const values: Row[] = [];
  const names: string[] = [];
  const panels: string[] = [];
  for (const s of series) {
    const [panel, name] = opts.facet ? splitName(s.name) : ['', s.name];
    if (!names.includes(name)) names.push(name);
    if (!panels.includes(panel)) panels.push(panel);
    if (s.x && s.x.length !== s.y.length) {
      throw new Error(`lineChart: series '${s.name}' has ${s.y.length} y values but ${s.x.length} x values`);
    }
    // Short series (epochs) get a dot per value; long ones (steps, grids) a plain line.
    const dot = s.points ?? s.y.length <= 30;
    s.y.forEach((y, i) => {
      if (!Number.isFinite(y)) return;
      if (opts.logY && y <= 0) {
        throw new Error(
          `lineChart: logY needs positive values, but series '${s.name}' has ${y} at index ${i}`,
        );
      }
      values.push({ x: s.x ? s.x[i] : i, y, series: name, panel, dot: dot ? 1 : 0 });
    });
  }
  const encoding = {
    x: {
      field: 'x',
      type: 'quantitative' as const,
      title: opts.xTitle ?? 'x',
      ...(opts.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
    },
    y: {
      field: 'y',
      type: 'quantitative' as const,
      title: opts.yTitle ?? 'y',
      scale: opts.logY ? { type: 'log' as const } : { zero: false },
    },
    color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: names } },
  };
  const layer = [
    { mark: { type: 'line' as const } },
    { mark: { type: 'point' as const, filled: true, size: 25 }, transform: [{ filter: 'datum.dot' }] },
  ];
  const { width, height, ...top } = base(opts);
  if (opts.facet) {
    return {
      ...top,
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null, sort: panels },
      columns: 2,
      spec: { width, height, encoding, layer },
      resolve: { scale: { y: 'independent' } },
    } as TopLevelSpec;
  }
  return { ...top, width, height, data: { values }, encoding, layer } as TopLevelSpec;
}

function splitName(name: string): [string, string] {
  const at = name.indexOf('/');
  return at < 0 ? ['', name] : [name.slice(0, at), name.slice(at + 1)];
}

/** A bar chart of labelled values, optionally grouped (`group` gives side-by-side bars). */
export function barChart(
  bars: readonly { label: string; value: number; group?: string }[],
  opts: ChartOptions & { yTitle?: string } = {},
): TopLevelSpec {
  const grouped = bars.some((b) => b.group !== undefined);
  return {
    ...base(opts),
    data: { values: bars.map((b) => ({ label: b.label, value: b.value, group: b.group ?? '' })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value' },
      ...(grouped
        ? {
            xOffset: { field: 'group', type: 'nominal' },
            color: { field: 'group', type: 'nominal', title: null },
          }
        : {}),
    },
  } as TopLevelSpec;
}

/**
 * A heatmap of a matrix with its values written in the cells: confusion matrices (rows are
 * true classes) and attention weights.
 */
export function heatmap(
  matrix: readonly (readonly number[])[],
  opts: ChartOptions & {
    rowLabels?: string[];
    colLabels?: string[];
    rowTitle?: string;
    colTitle?: string;
    /** The colour legend's title (default 'value'). */
    valueTitle?: string;
    digits?: number;
  } = {},
): TopLevelSpec {
  const values: Row[] = [];
  matrix.forEach((row, i) => {
    row.forEach((v, j) => {
      values.push({ row: opts.rowLabels?.[i] ?? String(i), col: opts.colLabels?.[j] ?? String(j), value: v });
    });
  });
  const digits = opts.digits ?? 0;
  const max = Math.max(...values.map((v) => v.value as number));
  return {
    ...base(opts, { width: 300, height: 300 }),
    data: { values },
    encoding: {
      x: {
        field: 'col',
        type: 'ordinal',
        title: opts.colTitle ?? 'predicted',
        sort: null,
        // Short labels (class indices, short names) read best upright; long ones slanted.
        axis: { labelAngle: values.every((v) => String(v.col).length <= 4) ? 0 : -45 },
      },
      y: { field: 'row', type: 'ordinal', title: opts.rowTitle ?? 'true', sort: null },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: opts.valueTitle ?? 'value',
            scale: { scheme: 'blues' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: `.${digits}f` },
          color: { condition: { test: `datum.value > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * A 2-D classification picture: the model's predicted class over a grid (`grid`, one row per
 * cell: its lower-left corner `x`, `y` and its `class`; cells are `step` wide and high) as a
 * faint heatmap, with the data points on top. {@link classGrid} computes `grid` and `step`.
 *
 * @example
 * ```ts
 * const points = pointsOf(x, labels);
 * const { grid, step } = classGrid(model, points);
 * const svg = await renderSvg(decisionBoundary(points, grid, step, { title: 'moons' }));
 * ```
 */
export function decisionBoundary(
  points: readonly { x: number; y: number; label: number }[],
  grid: readonly { x: number; y: number; class: number }[],
  step: number,
  opts: ChartOptions = {},
): TopLevelSpec {
  return {
    ...base(opts, { width: 360, height: 360 }),
    layer: [
      {
        data: { values: grid.map((g) => ({ ...g, x2: g.x + step, y2: g.y + step, class: String(g.class) })) },
        mark: { type: 'rect', opacity: 0.3 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { zero: false, nice: false }, title: 'x1' },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', scale: { zero: false, nice: false }, title: 'x2' },
          y2: { field: 'y2' },
          color: { field: 'class', type: 'nominal', title: 'class' },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p, class: String(p.label) })) },
        mark: {
          type: 'point',
          filled: true,
          size: points.length < 20 ? 200 : 30,
          stroke: 'black',
          strokeWidth: 0.5,
        },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'class', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * A scatter plot of labelled point sets, with optional lines drawn over them (a fitted
 * regression line, the true function).
 */
export function scatterChart(
  points: readonly Series[],
  opts: ChartOptions & { lines?: readonly Series[]; xTitle?: string; yTitle?: string } = {},
): TopLevelSpec {
  const rows = (ss: readonly Series[]) =>
    ss.flatMap((s) => s.y.map((y, i) => ({ x: s.x ? s.x[i] : i, y, series: s.name })));
  const enc = {
    x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x', scale: { zero: false } },
    y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'y', scale: { zero: false } },
    color: { field: 'series', type: 'nominal', title: null },
  };
  const layer: object[] = [
    { data: { values: rows(points) }, mark: { type: 'point', filled: true, size: 20 }, encoding: enc },
  ];
  if (opts.lines?.length) {
    layer.push({ data: { values: rows(opts.lines) }, mark: { type: 'line', strokeWidth: 2 }, encoding: enc });
  }
  return { ...base(opts), layer } as TopLevelSpec;
}

/** Several charts side by side under one title (each keeps its own scales and data). */
export function sideBySide(charts: readonly TopLevelSpec[], title?: string): TopLevelSpec {
  const inner = charts.map(({ $schema: _s, background: _b, config: _c, ...rest }) => rest);
  return {
    $schema: SCHEMA,
    ...(title ? { title } : {}),
    background: 'white',
    config: CONFIG,
    hconcat: inner,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
