// The three backends the page trains on, and how to tell that each really runs where it says.
import '@proj/backend-cpu'; // registers 'cpu'
import '@proj/backend-gpujs'; // registers 'gpujs' (WebGL2 in a page)
import type { GpujsBackend } from '@proj/backend-gpujs';
import { OnnxWebBackend } from '@proj/backend-onnx';
import { backendByName, registerBackend } from '@proj/core';
// Served from the app's own origin (Vite copies it into dist/assets with a hashed name).
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
// onnxruntime-web's wasm-only build: the module @proj/backend-onnx imports at its first read,
// so both see the same `env`.
import * as ort from 'onnxruntime-web/wasm';

ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, document.baseURI).href };
// One thread: several would need a cross-origin-isolated page (SharedArrayBuffer).
ort.env.wasm.numThreads = 1;
registerBackend('onnx-web', () => new OnnxWebBackend({ numThreads: 1 }), { priority: -1 });

/** The backends of the backend switch, in its order. */
export const BACKENDS = ['cpu', 'gpujs', 'onnx-web'] as const;
/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];

/** Checks a name from the UI or the test hook. */
export function isBackendName(name: unknown): name is BackendName {
  return typeof name === 'string' && (BACKENDS as readonly string[]).includes(name);
}

/** What runs behind a backend name, and whether it is the real thing. */
export interface BackendInfo {
  name: BackendName;
  /** e.g. "gpu.js webgl2 — WebGL 2.0 (OpenGL ES 3.0 Chromium) / ANGLE (SwiftShader)". */
  detail: string;
  /** False when the backend fell back to something else (gpu.js on its CPU mode). */
  real: boolean;
  /** Work counters: onnx-web session runs; gpujs kernel compiles. */
  counters: Record<string, number>;
}

/** Describes the live instance of `name` (creating it if needed). */
export function describeBackend(name: BackendName): BackendInfo {
  const b = backendByName(name);
  if (name === 'gpujs') {
    const s = (b as GpujsBackend).stats();
    return {
      name,
      detail: `gpu.js ${s.mode} — ${s.renderer}`,
      real: s.mode === 'webgl2' || s.mode === 'webgl',
      counters: { compiles: s.compiles, kernelRuns: s.compiles + s.cacheHits },
    };
  }
  if (name === 'onnx-web') {
    const s = (b as OnnxWebBackend).stats();
    return {
      name,
      detail: `onnxruntime-web ${ort.env.versions.web} (wasm, 1 thread)`,
      real: b instanceof OnnxWebBackend,
      counters: { sessionsCreated: s.sessionsCreated, runs: s.runs },
    };
  }
  return { name, detail: 'TypedArray kernels on the main thread', real: true, counters: {} };
}
