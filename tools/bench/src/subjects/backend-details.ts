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
