// The public API of @proj/backend-onnx, the same from both entries (`index.ts` for Node,
// `browser.ts` for browsers): the entries differ only in which runtime 'onnx' registers.
export { OnnxBackend, type OnnxBackendOptions } from './backend/onnx-backend.js';
export { OnnxWebBackend } from './backend/onnx-web-backend.js';
export {
  type CompiledModel,
  type CompiledStep,
  type CompileOptions,
  type CompileStats,
  compile,
  DEFAULT_MAX_GRAPHS,
} from './compile/compile.js';
export * from './export/index.js';
export type { SessionStats } from './runtime/session-cache.js';
export type { LossFn } from './trace/trace-graph.js';
