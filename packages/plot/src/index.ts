// @proj/plot: training curves, learning rate, confusion matrices and image grids as SVG, in any
// JavaScript environment (PNG files and the file-writing callback: '@proj/plot/node').

export type { LineChartOptions, LineSeries, Row, Series } from './charts.js';
export { barChart, decisionBoundary, heatmap, lineChart, scatterChart, sideBySide } from './charts.js';
export type { LabelledPoint } from './class-grid.js';
export { classGrid, pointsOf } from './class-grid.js';
export type { ConfusionMatrixOptions } from './confusion-matrix.js';
export { confusionMatrixSvg } from './confusion-matrix.js';
export type { CurvesInput, CurvesOptions } from './curves.js';
export { curvesSvg } from './curves.js';
export type { HistoryInput } from './history-chart.js';
export { historySvg } from './history-chart.js';
export type { ImageRow } from './image-grid.js';
export { imageGrid } from './image-grid.js';
export type { ImageGridOptions } from './image-grid-svg.js';
export { imageGridSvg } from './image-grid-svg.js';
export type { ImagesInput, NestedImage, ValueOptions } from './image-input.js';
export type { LearningRateInput, LearningRateOptions } from './learning-rate.js';
export { learningRateSvg } from './learning-rate.js';
export type { LivePlotOptions, PlotTarget } from './live-plot.js';
export { LivePlot } from './live-plot.js';
export type { BatchRecord, EpochRecord, PlotEvery, PlotName, PlotRecorderOptions } from './plot-recorder.js';
export { PLOT_NAMES, PlotRecorder } from './plot-recorder.js';
export { renderSvg } from './render.js';
export type { ChartOptions } from './style.js';
export { FONT } from './style.js';
