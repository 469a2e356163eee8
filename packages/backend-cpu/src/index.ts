import { registerBackend } from '@proj/core';
import { CpuBackend } from './cpu-backend.js';

registerBackend('cpu', () => new CpuBackend(), { priority: 1 });

export { CpuBackend };
