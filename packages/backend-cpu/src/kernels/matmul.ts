/**
 * Batched matrix product on row-major arrays: out[b] = op(A[b]) @ op(B[b]) where
 * op(A) is A [M,K] (or A^T when transA, A stored [K,M]); op(B) is B [K,N] (or stored [N,K]).
 * aBatchStride/bBatchStride are 0 to broadcast one matrix over the batch.
 * PLACEHOLDER reference implementation: replaced by the blocked kernel.
 */
export function matmul(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  batch: number,
  M: number,
  K: number,
  N: number,
  aBatchStride: number,
  bBatchStride: number,
  transA: boolean,
  transB: boolean,
): void {
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * aBatchStride;
    const bo = bi * bBatchStride;
    const oo = bi * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = transA ? a[ao + k * M + i] : a[ao + i * K + k];
          const bv = transB ? b[bo + j * K + k] : b[bo + k * N + j];
          s += av * bv;
        }
        out[oo + i * N + j] = s;
      }
    }
  }
}
