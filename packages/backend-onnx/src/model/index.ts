// OnnxModel: run an ONNX model (exported or any .onnx file) as one session.
export type { OnnxModelOptions } from './onnx-model.js';
export { OnnxModel } from './onnx-model.js';
