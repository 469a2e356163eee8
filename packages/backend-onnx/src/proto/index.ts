// A typed ONNX graph builder and model checker over onnx-proto (shared by the backend's
// per-op models and by exportOnnx). The generated protobuf classes (`onnx` in ./onnx.js) are
// not re-exported here: this file's .d.ts is published, and theirs needs protobufjs' `Long`.

export type { ModelSummary } from './check-model.js';
export { checkModel } from './check-model.js';
export type { OnnxDType } from './dtypes.js';
export { BYTES_PER_ELEMENT, dtypeOfArray, dtypeOfOnnx, ONNX_DATA_TYPE } from './dtypes.js';
export type { AttrValue, Dim, FloatAttr, ModelOptions, TensorAttr } from './graph-builder.js';
export { floatAttr, GraphBuilder, irVersionForOpset, tensorAttr, tensorProto } from './graph-builder.js';
export type { IGraphProto, IModelProto, INodeProto, ITensorProto } from './onnx-types.js';
