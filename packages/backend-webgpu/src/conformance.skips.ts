/**
 * The webgpu backend's conformance declarations, read by `src/conformance.test.ts` and by the
 * coverage table of @proj/backend-tests.
 */
import { HOST_READ_SKIPS } from '@proj/backend-tests/host-reads';
import { initWebGPU } from './index.js';

/** What the webgpu backend itself cannot do (beyond core's host reads, HOST_READ_SKIPS). */
const ownSkips: Readonly<Record<string, string>> = {
  'dtypes/int64/exact-beyond-2-24':
    'webgpu computes int64 in 32 bits (WGSL has no 64-bit integers): the case stores 2^40, which is refused on upload with an error',
  'size/int64/sum-arange-2-17':
    'webgpu computes int64 in 32 bits (WGSL has no 64-bit integers): the sum 8589869056 is refused with an error naming the range, never wrapped',
};

/** Cases skipped on webgpu (case id or `prefix/*` → reason). float64 cases skip themselves. */
export const webgpuSkips: Readonly<Record<string, string>> = { ...HOST_READ_SKIPS, ...ownSkips };

/** Float tolerance preset: WGSL's exp/log/tanh and our erf are not correctly rounded. */
export const webgpuTolerance = 'balanced' as const;

/** Registers the backend for the coverage table (it finds its adapter asynchronously). */
export const webgpuInit = (): Promise<unknown> => initWebGPU();
