/**
 * @proj/backend-onnx: the ONNX Runtime backend. Importing it registers the `'onnx'` backend
 * (onnxruntime-node in Node), and re-exports ONNX export and `OnnxModel`.
 */
import { registerBackend } from '@proj/core';
import { OnnxBackend } from './backend/onnx-backend.js';

registerBackend('onnx', () => new OnnxBackend(), { priority: 0 });

export { OnnxBackend, type OnnxBackendOptions } from './backend/onnx-backend.js';
export { OnnxWebBackend } from './backend/onnx-web-backend.js';
export * from './export/index.js';
export * from './fused/index.js';
export type { SessionStats } from './runtime/session-cache.js';
