// @proj/plot/node: PNG output, files and the file-writing training callback (Node only); the
// main entry stays browser-safe.
export { PlotCallback, type PlotCallbackOptions, type PlotFormat } from './node/plot-callback.js';
export { type SvgToPngOptions, svgToPng } from './node/svg-to-png.js';
export { writePlot } from './node/write-plot.js';
