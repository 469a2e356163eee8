// onnxruntime-web, imported on first use. The `/wasm` entry is its wasm-only build (the
// ~14 MB CPU wasm, ~73 KB of JS); the package's default entry is the JSEP build, which
// bundles WebGPU/WebNN support and pulls a 28 MB wasm into every app that imports us.
// `/wasm` also runs in Node (it finds its .wasm next to itself), which is how the tests use it.
import { isMissingPackage, missingPeerError } from './node-builtins.js';

type Ort = typeof import('onnxruntime-web');

/** onnxruntime-web's wasm-only build, or an error naming the package when it is not installed. */
export async function importOrtWeb(what: string): Promise<Ort> {
  try {
    return await import('onnxruntime-web/wasm');
  } catch (e) {
    if (isMissingPackage(e, 'onnxruntime-web')) throw missingPeerError('onnxruntime-web', what);
    throw e;
  }
}
