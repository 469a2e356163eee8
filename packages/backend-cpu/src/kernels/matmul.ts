import type { FloatArray } from '../storage.js';
import { matmulJs } from './matmul-js.js';
import { matmulWasm, wasmMatmulAvailable } from './matmul-wasm.js';

/**
 * Multiply-adds (M*K*N) below which float32 stays in plain JS: under it the packing and copies
 * of the WebAssembly path cost more than they save.
 */
export const WASM_MIN_WORK = 512;

/**
 * Batched matrix product on row-major arrays: out[b] = op(A[b]) @ op(B[b]) where
 * op(A) is A [M,K] (or A^T when transA, A stored [K,M]); op(B) is B [K,N] (or stored [N,K]).
 * aBatchStride/bBatchStride are the element offsets between batch items of a and b, 0 to
 * broadcast one matrix over the batch; out holds batch x [M,N] contiguously.
 *
 * float32 output runs on a blocked WebAssembly SIMD kernel (f32 accumulation, like BLAS) when
 * the engine has SIMD and the product is not tiny; everything else (float64, tiny products,
 * no SIMD) runs on a cache-blocked JS kernel.
 *
 * @example
 * // [2,3] @ [3,2]
 * matmul(a, b, out, 1, 2, 3, 2, 0, 0, false, false);
 */
export function matmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  batch: number,
  M: number,
  K: number,
  N: number,
  aBatchStride: number,
  bBatchStride: number,
  transA: boolean,
  transB: boolean,
): void {
  if (batch <= 0 || M === 0 || N === 0) return;
  if (K === 0) {
    out.fill(0, 0, batch * M * N);
    return;
  }
  if (out instanceof Float32Array && M * K * N >= WASM_MIN_WORK && wasmMatmulAvailable()) {
    matmulWasm(a, b, out, batch, M, K, N, aBatchStride, bBatchStride, transA, transB);
  } else {
    matmulJs(a, b, out, batch, M, K, N, aBatchStride, bBatchStride, transA, transB);
  }
}
