import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Session } from '../types.js';

type Core = typeof import('@proj/core');
type Details = { info: Session['info']; detail?: string } | string;

/**
 * gpu.js: the mode it really runs and the GL renderer (llvmpipe is Mesa's software rasteriser,
 * which uses `LP_NUM_THREADS` threads, all cores by default). Its CPU fallback runs the same
 * kernels as plain JS: that is not the WebGL path, so the subject is skipped with the reason.
 */
export function gpujsDetails(core: Core, name: string): Details {
  const b = core.backendByName(name) as unknown as {
    stats(): { mode: string; renderer: string; compiles: number };
  };
  const { mode, renderer } = b.stats();
  if (mode === 'cpu') {
    return (
      `gpu.js started only its CPU fallback (no WebGL: headless-gl needs an X server; ` +
      `run under xvfb-run -a). Renderer: ${renderer || 'none'}`
    );
  }
  const lpThreads = process.env.LP_NUM_THREADS ?? 'default (all cores)';
  return {
    info: { mode, renderer, llvmpipeThreads: lpThreads },
    detail: `gpu.js mode ${mode}, renderer ${renderer}; LP_NUM_THREADS ${lpThreads}`,
  };
}

/** onnxruntime-node's version, resolved from @proj/backend-onnx's own dependencies. */
function ortVersion(): string {
  try {
    const from = fileURLToPath(new URL('../../../../packages/backend-onnx/package.json', import.meta.url));
    return (createRequire(from)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** ONNX Runtime: version and threads (the backend's sessions use one intra-op thread by default). */
export function onnxDetails(): Details {
  const version = ortVersion();
  return {
    info: { onnxruntimeNode: version, intraOpThreads: 1, execution: 'op by op, synchronous native binding' },
    detail: `onnxruntime-node ${version}, 1 intra-op thread, one cached session per primitive`,
  };
}

/** What `cpuInfo()` of @proj/backend-cpu exports. */
interface CpuInfoLike {
  simd: string;
  threads: number;
  workersReady: number;
  cores: number;
  singleThreadedReason?: string;
}

/**
 * The CPU backend: its WebAssembly SIMD level (relaxed SIMD with FMA, or plain) and threads,
 * from `cpuInfo()` of the package (`cpu` is the module namespace of @proj/backend-cpu).
 */
export function cpuDetails(cpu: Record<string, unknown>): Details {
  // an older @proj/backend-cpu (one thread, plain SIMD) has no cpuInfo
  if (typeof cpu.cpuInfo !== 'function') return { info: {}, detail: '@proj/backend-cpu without cpuInfo()' };
  const info = (cpu.cpuInfo as () => CpuInfoLike)();
  const why = info.singleThreadedReason ? ` (one thread: ${info.singleThreadedReason})` : '';
  return {
    info: { simd: info.simd, threads: info.threads, cores: info.cores },
    detail: `WebAssembly ${info.simd}, ${info.threads} thread${info.threads === 1 ? '' : 's'} on ${info.cores} cores${why}`,
  };
}
