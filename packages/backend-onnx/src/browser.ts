/**
 * @proj/backend-onnx, browser entry (the `browser` and `default` export conditions): importing
 * it registers the `'onnx'` backend on onnxruntime-web's wasm-only build (`onnxruntime-web/wasm`,
 * imported at the first read). It imports no Node module, and exports the same API as the Node
 * entry (`index.ts`).
 *
 * @example
 * ```ts
 * import { randn, setBackend } from '@proj/core';
 * import '@proj/backend-onnx';
 * setBackend('onnx');
 * const y = randn([2, 3]).relu();
 * console.log(await y.data()); // onnxruntime-web reads asynchronously only
 * ```
 */
import { registerBackend } from '@proj/core';
import { OnnxWebBackend } from './backend/onnx-web-backend.js';

registerBackend('onnx', () => new OnnxWebBackend(), { priority: 0 });

export * from './exports.js';
