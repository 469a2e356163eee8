// @proj/backend-webgpu: the WebGPU backend (WGSL compute) for @proj/core.
import { backendByName, registerBackend } from '@proj/core';
import { openDevice } from './adapter.js';
import type { AdapterOptions, AdapterReport } from './adapter-report.js';
import { WebGPUBackend, type WebGPUBackendOptions } from './webgpu-backend.js';

/** Options of {@link initWebGPU}. */
export interface InitWebGPUOptions extends AdapterOptions, WebGPUBackendOptions {
  /** Registry priority (default 0: the embedded 'cpu' backend stays the default device). */
  priority?: number;
  /** Name to register under (default `'webgpu'`). */
  name?: string;
}

/**
 * Finds a WebGPU adapter, opens a device on it and registers the backend (as `'webgpu'` unless
 * `name` says otherwise). Resolves with the adapter's report; rejects with the reason when this
 * environment has no WebGPU or no adapter — it never falls back to another engine.
 *
 * In browsers it uses `navigator.gpu`. In Node it loads Dawn's bindings from the optional peer
 * dependency `webgpu` (`npm i webgpu`); on a machine without a GPU point `VK_ICD_FILENAMES` at
 * SwiftShader's `vk_swiftshader_icd.json`.
 *
 * @example
 * ```ts
 * import { setBackend, randn } from '@proj/core';
 * import { initWebGPU } from '@proj/backend-webgpu';
 *
 * const adapter = await initWebGPU();
 * console.log(adapter.summary);
 * setBackend('webgpu');
 * const y = randn([256, 256]).matmul(randn([256, 256])).relu();
 * console.log(await y.data());
 * ```
 */
export async function initWebGPU(options: InitWebGPUOptions = {}): Promise<AdapterReport> {
  const { device, report } = await openDevice(options);
  const name = options.name ?? 'webgpu';
  registerBackend(name, () => new WebGPUBackend(device, report, options), {
    priority: options.priority ?? 0,
  });
  backendByName(name);
  return report;
}

export type { AdapterOptions, AdapterReport } from './adapter-report.js';
export { WebGPUBackend, type WebGPUBackendOptions } from './webgpu-backend.js';
