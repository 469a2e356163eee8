import { kernels, type SimdLevel } from './module.js';
import { availableCores, getNumThreads, startedPool } from './thread-pool.js';

/** What the CPU backend runs on here (see {@link cpuInfo}). */
export interface CpuInfo {
  /** The WebAssembly vector instructions of the kernels: relaxed SIMD (FMA), SIMD, or none (JavaScript kernels only). */
  simd: SimdLevel;
  /** Threads the kernels use ({@link setNumThreads}), the calling one included. */
  threads: number;
  /** Worker threads started and ready (they start asynchronously; until then work runs on fewer threads). */
  workersReady: number;
  /** Cores the machine offers (the default thread count). */
  cores: number;
  /** GEMMs split over worker threads so far (large ones only: see `setNumThreads`). */
  parallelGemms: number;
  /** Why the backend runs on one thread only, when it does. */
  singleThreadedReason?: string;
}

/**
 * What the CPU backend runs on in this environment: detected at start, reported so that a
 * slow run can be explained (and never a silent change of engine).
 *
 * @example
 * ```ts
 * import { cpuInfo } from '@proj/backend-cpu';
 * console.log(cpuInfo()); // { simd: 'relaxed-simd', threads: 2, workersReady: 1, cores: 2, parallelGemms: 0 }
 * ```
 */
export function cpuInfo(): CpuInfo {
  const k = kernels();
  const pool = startedPool();
  const reason =
    k === null ? 'this engine has no WebAssembly SIMD' : !k.shared ? k.unsharedReason : pool?.unavailable;
  return {
    simd: k === null ? 'none' : k.simd,
    threads: getNumThreads(),
    workersReady: pool?.readyWorkers() ?? 0,
    cores: availableCores(),
    parallelGemms: pool?.parallelRuns ?? 0,
    ...(reason !== undefined ? { singleThreadedReason: reason } : {}),
  };
}
