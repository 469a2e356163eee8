// The plotting module of the examples: Vega-Lite specs rendered to SVG in Node.
export type { ChartOptions, Row, Series } from './charts.js';
export { barChart, decisionBoundary, heatmap, lineChart, scatterChart, sideBySide } from './charts.js';
export type { LabelledPoint } from './grid.js';
export { classGrid, pointsOf } from './grid.js';
export { renderSvg } from './render.js';
export { OUT_DIR, writeSvg } from './write.js';
