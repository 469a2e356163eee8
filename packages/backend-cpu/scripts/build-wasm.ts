/**
 * Generates src/wasm/kernels.generated.ts: the CPU backend's WebAssembly module (GEMM and
 * float32 elementwise kernels, scripts/wasm/*.ts), in two variants: plain SIMD and relaxed SIMD
 * (fused multiply-add in the GEMM), each declaring its memory shared (the runtime flips one
 * byte where shared memory is unavailable, see sharedFlagOffset).
 *
 * Run: pnpm --filter @proj/backend-cpu exec tsx scripts/build-wasm.ts
 * src/wasm/kernels.generated.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSource } from './wasm/generated-source.js';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'src', 'wasm', 'kernels.generated.ts');
writeFileSync(outFile, await generatedSource());
console.log(`wrote ${outFile}`);
