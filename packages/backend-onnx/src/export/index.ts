// ONNX export (exportOnnx), the model checker and the graph builder it is written with.

export type { OnnxModelOptions } from '../model/index.js';
export { OnnxModel } from '../model/index.js';
export type {
  AttrValue,
  Dim,
  FloatAttr,
  ModelOptions,
  ModelSummary,
  OnnxDType,
  TensorAttr,
} from '../proto/index.js';
export { checkModel, floatAttr, GraphBuilder, tensorAttr } from '../proto/index.js';
// The ModelProto message types GraphBuilder.toModel returns and checkModel reads.
export type * from '../proto/onnx-types.js';
export type { ExportOptions } from './export-onnx.js';
export { exportOnnx } from './export-onnx.js';
