/**
 * @proj/backend-onnx, Node entry (the `node` export condition): importing it registers the
 * `'onnx'` backend on onnxruntime-node, which is loaded at the backend's first op (an optional
 * peer dependency: an error names it when it is missing). Re-exports ONNX export, `OnnxModel`
 * and `compile`. Browsers get `browser.ts`, which registers onnxruntime-web instead.
 *
 * @example
 * ```ts
 * import { setBackend } from '@proj/core';
 * import '@proj/backend-onnx';
 * setBackend('onnx');
 * ```
 */
import { registerBackend } from '@proj/core';
import { OnnxBackend } from './backend/onnx-backend.js';
import { loadNative } from './runtime/native-session.js';

// onnxruntime-node is loaded when the backend is first selected (setBackend('onnx'), .to('onnx')),
// so a missing install is reported there, naming the package, rather than from inside an op.
registerBackend(
  'onnx',
  () => {
    loadNative();
    return new OnnxBackend();
  },
  { priority: 0 },
);

export * from './exports.js';
