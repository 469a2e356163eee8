import { registerBackend } from '@proj/core';
import { CpuBackend } from './cpu-backend.js';

registerBackend('cpu', () => new CpuBackend(), { priority: 1 });

export { type CpuInfo, cpuInfo } from './wasm/cpu-info.js';
export type { SimdLevel } from './wasm/module.js';
export { getNumThreads, setNumThreads } from './wasm/thread-pool.js';
export { CpuBackend };
