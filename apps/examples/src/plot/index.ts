// The plotting module of the examples: Vega-Lite specs rendered to SVG in Node.
export type { ChartOptions, Row, Series } from './charts.js';
export { barChart, decisionBoundary, heatmap, lineChart, scatterChart, sideBySide } from './charts.js';
export type { LabelledPoint } from './grid.js';
export { classGrid, pointsOf } from './grid.js';
export type { ImageRow } from './image-grid.js';
export { imageGrid } from './image-grid.js';
export { renderSvg } from './render.js';
export { OUT_DIR, writeSvg } from './write.js';
