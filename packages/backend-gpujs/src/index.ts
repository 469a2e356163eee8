import { registerBackend } from '@proj/core';
import { GpujsBackend } from './gpujs-backend.js';

registerBackend('gpujs', () => new GpujsBackend(), { priority: 0 });

export type { ContextOptions, GpujsMode } from './context.js';
export { GpujsBackend, type GpujsStats } from './gpujs-backend.js';
export type { WarmupModel } from './warmup.js';
