/**
 * The CPU backend's WebAssembly module as WAT and its compilation with wabt: the GEMM
 * (gemm-wat.ts), the elementwise kernels (elementwise-wat.ts) and the convolution and pooling
 * kernels (spatial-wat.ts) over one imported memory, so
 * that worker threads instantiating the same module share it.
 */
import wabtInit from 'wabt';
import { elementwiseWat } from './elementwise-wat.js';
import { gemmWat, MR, NR } from './gemm-wat.js';
import { spatialWat } from './spatial-wat.js';

export { MR, NR };

/** Largest memory the module accepts: wasm32's 4 GiB. */
export const MAX_PAGES = 65536;

/** The module's text; `shared` declares the imported memory shared (for threads), `fma` uses relaxed SIMD's multiply-add. */
export function moduleWat(opts: { fma: boolean; shared: boolean }): string {
  return `(module
  (import "env" "memory" (memory 1 ${MAX_PAGES}${opts.shared ? ' shared' : ''}))
  ${gemmWat(opts.fma)}
  ${elementwiseWat()}
  ${spatialWat()}
)
`;
}

/** Compiles `moduleWat(opts)` to bytes with wabt (validated). */
export async function compileModule(opts: { fma: boolean; shared: boolean }): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const features = { simd: true, threads: true, relaxed_simd: opts.fma };
  const mod = wabt.parseWat('kernels.wat', moduleWat(opts), features);
  try {
    // wabt's validate() checks against its default features unless given them again
    (mod.validate as (f?: typeof features) => void)(features);
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/**
 * The byte where the shared and the unshared module differ: the limits flag of the memory
 * import (0x03: shared with a maximum; 0x01: a maximum). The runtime patches it to load the
 * module where shared memory is unavailable (a page that is not cross-origin isolated), so one
 * binary per variant ships instead of two.
 */
export function sharedFlagOffset(shared: Uint8Array, unshared: Uint8Array): number {
  if (shared.length !== unshared.length) throw new Error('shared and unshared modules differ in length');
  const diff: number[] = [];
  for (let i = 0; i < shared.length; i++) if (shared[i] !== unshared[i]) diff.push(i);
  if (diff.length !== 1 || shared[diff[0]] !== 0x03 || unshared[diff[0]] !== 0x01) {
    throw new Error(
      `expected one differing limits flag byte (0x03 vs 0x01), got offsets [${diff.join(',')}]`,
    );
  }
  return diff[0];
}
