import type { FloatArray } from '../storage.js';

/** Rows of B (the k range) processed per cache block, so that block of B stays in L2. */
const KB = 128;
/** Columns of C processed per cache block, so one row segment of C stays in L1. */
const JB = 512;
/** Elements of B^T (rows of K) kept in cache while every row of A is dotted with them. */
const DOT_BLOCK = 16384;

/**
 * Cache-blocked pure-JS batched matmul with the same contract as `matmul` (see matmul.ts):
 * i-k-j order with four k steps fused per pass over a row of C, or blocked dot products when B is
 * transposed, so the innermost loop always walks contiguous memory and nothing is allocated.
 * Used for float64, for tiny float32 products, and where WebAssembly SIMD is unavailable.
 */
export function matmulJs(
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
  if (batch === 0 || M === 0 || N === 0) return;
  // op(A)[i,k] = a[ao + i*ars + k*acs]
  const ars = transA ? 1 : K;
  const acs = transA ? M : 1;
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * aBatchStride;
    const bo = bi * bBatchStride;
    if (transB) gemmDots(a, ao, ars, acs, b, bo, out, bi * M * N, M, K, N);
    else gemmRows(a, ao, ars, acs, b, bo, out, bi * M * N, M, K, N);
  }
}

/**
 * C[M,N] = op(A)[M,K] @ B^T for one batch item, B stored [N,K]: rows of B are contiguous along k, so
 * each C element is a dot product; four at a time share the loads of A, over blocks of B rows that stay in cache.
 */
function gemmDots(
  a: FloatArray,
  ao: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bo: number,
  c: FloatArray,
  co: number,
  M: number,
  K: number,
  N: number,
): void {
  const jb = Math.max(4, Math.floor(DOT_BLOCK / Math.max(K, 1)) & ~3);
  for (let jj = 0; jj < N; jj += jb) {
    const jend = Math.min(jj + jb, N);
    for (let i = 0; i < M; i++) {
      const arow = ao + i * ars;
      const crow = co + i * N;
      let j = jj;
      for (; j + 4 <= jend; j += 4) {
        const b0 = bo + j * K;
        const b1 = b0 + K;
        const b2 = b1 + K;
        const b3 = b2 + K;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < K; k++) {
          const av = a[arow + k * acs];
          s0 += av * b[b0 + k];
          s1 += av * b[b1 + k];
          s2 += av * b[b2 + k];
          s3 += av * b[b3 + k];
        }
        c[crow + j] = s0;
        c[crow + j + 1] = s1;
        c[crow + j + 2] = s2;
        c[crow + j + 3] = s3;
      }
      for (; j < jend; j++) {
        const b0 = bo + j * K;
        let s0 = 0;
        for (let k = 0; k < K; k++) s0 += a[arow + k * acs] * b[b0 + k];
        c[crow + j] = s0;
      }
    }
  }
}

/** C[M,N] = op(A)[M,K] @ B[K,N] for one batch item, i-k-j: rows of B and C are read contiguously. */
function gemmRows(
  a: FloatArray,
  ao: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bo: number,
  c: FloatArray,
  co: number,
  M: number,
  K: number,
  N: number,
): void {
  c.fill(0, co, co + M * N);
  for (let kk = 0; kk < K; kk += KB) {
    const kend = Math.min(kk + KB, K);
    for (let jj = 0; jj < N; jj += JB) {
      const jend = Math.min(jj + JB, N);
      for (let i = 0; i < M; i++) {
        const crow = co + i * N;
        const arow = ao + i * ars;
        let k = kk;
        for (; k + 4 <= kend; k += 4) {
          const a0 = a[arow + k * acs];
          const a1 = a[arow + (k + 1) * acs];
          const a2 = a[arow + (k + 2) * acs];
          const a3 = a[arow + (k + 3) * acs];
          const b0 = bo + k * N;
          const b1 = b0 + N;
          const b2 = b1 + N;
          const b3 = b2 + N;
          for (let j = jj; j < jend; j++) {
            c[crow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
          }
        }
        for (; k < kend; k++) {
          const a0 = a[arow + k * acs];
          const b0 = bo + k * N;
          for (let j = jj; j < jend; j++) c[crow + j] += a0 * b[b0 + j];
        }
      }
    }
  }
}
