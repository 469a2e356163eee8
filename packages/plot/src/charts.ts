import type { TopLevelSpec } from 'vega-lite';

/** One row of a long-format table, as Vega-Lite consumes data. */
export type Row = Record<string, number | string>;

/** Common chart options. */
export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

/** A named series of y values, plotted against its index (or against `x`). */
export interface Series {
  name: string;
  y: readonly number[];
  x?: readonly number[];
}

function base(opts: ChartOptions): Pick<TopLevelSpec, '$schema' | 'title' | 'background'> & {
  width: number;
  height: number;
} {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 420,
    height: opts.height ?? 260,
    background: 'white',
  };
}

/**
 * A line chart of several series (loss curves, learning rates, activations). With `facet`,
 * one panel per facet value: series carry their panel in `name` as `'panel/series'`.
 */
export function lineChart(
  series: readonly Series[],
  opts: ChartOptions & {
    xTitle?: string;
    yTitle?: string;
    logY?: boolean;
    facet?: boolean;
    integerX?: boolean;
  } = {},
): TopLevelSpec {
  const values: Row[] = [];
  // Short series (epochs) get a dot per value; long ones (steps, grids) a plain line.
  const mark = { type: 'line' as const, point: series.every((s) => s.y.length <= 30) };
  for (const s of series) {
    const [panel, name] = opts.facet ? splitName(s.name) : ['', s.name];
    s.y.forEach((y, i) => {
      if (Number.isFinite(y)) values.push({ x: s.x ? s.x[i] : i, y, series: name, panel });
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
    color: { field: 'series', type: 'nominal' as const, title: null, legend: { labelLimit: 0 } },
  };
  const { width, height, ...top } = base(opts);
  if (opts.facet) {
    return {
      ...top,
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null },
      columns: 2,
      spec: { width, height, mark, encoding },
      resolve: { scale: { y: 'independent' } },
    } as TopLevelSpec;
  }
  return { ...top, width, height, data: { values }, mark, encoding } as TopLevelSpec;
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
            color: { field: 'group', type: 'nominal', title: null, legend: { labelLimit: 0 } },
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
    ...base({ width: 300, height: 300, ...opts }),
    data: { values },
    encoding: {
      x: { field: 'col', type: 'ordinal', title: opts.colTitle ?? 'predicted', sort: null },
      y: { field: 'row', type: 'ordinal', title: opts.rowTitle ?? 'true', sort: null },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'value', type: 'quantitative', scale: { scheme: 'blues' } } },
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
 * cell centre with `x`, `y`, `class`) as a faint heatmap, with the data points on top.
 */
export function decisionBoundary(
  points: readonly { x: number; y: number; label: number }[],
  grid: readonly { x: number; y: number; class: number }[],
  step: number,
  opts: ChartOptions = {},
): TopLevelSpec {
  return {
    ...base({ width: 360, height: 360, ...opts }),
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
    color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 0 } },
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
  const inner = charts.map(({ $schema: _s, background: _b, ...rest }) => rest);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    background: 'white',
    hconcat: inner,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
