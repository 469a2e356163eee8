// ONNX export (exportOnnx), the model checker and the graph builder it is written with.

export type { OnnxModelOptions } from '../model/index.js';
export { OnnxModel } from '../model/index.js';
export type { AttrValue, Dim, ModelOptions, ModelSummary, OnnxDType } from '../proto/index.js';
export { checkModel, floatAttr, GraphBuilder, tensorAttr } from '../proto/index.js';
export type { ExportOptions } from './export-onnx.js';
export { exportOnnx } from './export-onnx.js';
export { supportedModules } from './walk.js';
