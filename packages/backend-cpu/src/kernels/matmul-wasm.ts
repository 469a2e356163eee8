import type { FloatArray } from '../storage.js';
import { MATMUL_MR, MATMUL_NR } from '../wasm/kernels.generated.js';
import { heapFor, type Kernels, kernels } from '../wasm/module.js';
import { threadPool } from '../wasm/thread-pool.js';
import { matmulJs } from './matmul-js.js';

// Local copies: the packing loops read these constantly, and an imported binding may compile to a getter.
const MR = MATMUL_MR;
const NR = MATMUL_NR;

/** K-block: a [KC x NR] panel of packed B (8 KiB) stays in L1 while it sweeps an [MC x KC] block of A. */
const KC = 256;
/** M-block: the [MC x KC] block of packed A (128 KiB) stays in L2. */
const MC = 128;
/** N-block: the [KC x NC] block of packed B (256 KiB) stays in L2/L3 across the M-blocks. */
const NC = 256;
// The kernel's block loops step by whole micro-tiles, so the M and N blocks are multiples of them.
const MC_BLOCK = Math.max(MR, Math.floor(MC / MR) * MR);
const NC_BLOCK = Math.max(NR, Math.floor(NC / NR) * NR);
/**
 * Multiply-adds (Mp*Np*K) from which a product is split over the worker threads (~0.8 ms on one
 * core). Below it, handing work to a worker that went to sleep costs about what the second core
 * saves: on the 2-core VMs we measured, waking an idle vCPU took 0.1 ms typically and up to 5 ms
 * now and then, so conv GEMMs of 4.5 M multiply-adds took 0.87 ms on one thread and 1.0-1.27 ms
 * on two, and W2 with its 12.8 M-multiply-add GEMMs threaded ran faster at the median but
 * slower on average (p90 6.5 ms against 3.4 on one thread).
 */
let threadMinWork = 1 << 24;

/** Sets the multiply-adds from which a GEMM is threaded (tests thread small products); returns the old value. Internal. */
export function setThreadMinWork(n: number): number {
  const old = threadMinWork;
  threadMinWork = n;
  return old;
}

/** Whether the WebAssembly SIMD float32 kernel can run in this engine. */
export function wasmMatmulAvailable(): boolean {
  return kernels() !== null;
}

/**
 * C[Mp, Np] (row stride Np) = packed A . packed B, split over the usable threads: by bands of
 * MR-row panels, or of NR-column panels when there are more of those. Every element is
 * accumulated in the same order whatever the split, so the result does not depend on the
 * thread count.
 */
function gemm(k: Kernels, a: number, b: number, c: number, Mp: number, Np: number, K: number): void {
  const pool = Mp * Np * K >= threadMinWork ? threadPool() : undefined;
  const threads = pool === undefined ? 1 : Math.min(pool.usable(), Math.max(Mp / MR, Np / NR));
  if (pool === undefined || threads <= 1) {
    k.exports.gemm(a, b, c, Mp, Np, K, KC, MC_BLOCK, NC_BLOCK, Np);
    return;
  }
  const parts: number[][] = [];
  if (Mp / MR >= Np / NR) {
    const band = Math.ceil(Mp / MR / threads) * MR;
    for (let r0 = 0; r0 < Mp; r0 += band) {
      const rows = Math.min(band, Mp - r0);
      parts.push([a + r0 * K * 4, b, c + r0 * Np * 4, rows, Np, K, KC, MC_BLOCK, NC_BLOCK, Np]);
    }
  } else {
    const band = Math.ceil(Np / NR / threads) * NR;
    for (let j0 = 0; j0 < Np; j0 += band) {
      const cols = Math.min(band, Np - j0);
      parts.push([a, b + j0 * K * 4, c + j0 * 4, Mp, cols, K, KC, MC_BLOCK, NC_BLOCK, Np]);
    }
  }
  pool.run('gemm', parts);
}

/**
 * An operand of {@link gemmResident} already in the kernels' memory: element (i, j) of the
 * (possibly transposed) matrix at float offset `off + i·rs + j·cs`.
 */
export interface Resident {
  off: number;
  rs: number;
  cs: number;
}

/** Floats of scratch {@link gemmResident} needs for an [M, K]·[K, N] product: packed panels and C. */
export function residentScratch(M: number, K: number, N: number): number {
  const Mp = Math.ceil(M / MR) * MR;
  const Np = Math.ceil(N / NR) * NR;
  return Mp * K + K * Np + Mp * Np;
}

/**
 * C = A [M, K] · B [K, N] with both operands already in the kernels' memory (a convolution's
 * columns, made there): packed into `scratch` (a 16-byte-aligned float offset with
 * {@link residentScratch} floats), C left there with row stride `ldc` (N rounded up to NR).
 * The same packing and GEMM as {@link matmulWasm}, so the same bits. Requires K > 0.
 */
export function gemmResident(
  k: Kernels,
  A: Resident,
  B: Resident,
  M: number,
  K: number,
  N: number,
  scratch: number,
): { c: number; ldc: number } {
  const Mp = Math.ceil(M / MR) * MR;
  const Np = Math.ceil(N / NR) * NR;
  const packedA = scratch;
  const packedB = packedA + Mp * K;
  const c = packedB + K * Np;
  k.exports.packA(A.off * 4, packedA * 4, M, K, A.rs, A.cs);
  // packB packs op(B)ᵀ: its row j (a column of B) steps by B's column stride
  k.exports.packB(B.off * 4, packedB * 4, N, K, B.cs, B.rs);
  gemm(k, packedA * 4, packedB * 4, c * 4, Mp, Np, K);
  return { c, ldc: Np };
}

/**
 * Batched float32 matmul on the WebAssembly SIMD kernel, same contract as `matmul` (matmul.ts);
 * requires K > 0 and wasmMatmulAvailable(). Inputs are copied into the kernel's memory and packed
 * there (absorbing the transposes), C is computed there with padded edges, and its valid part copied out.
 */
export function matmulWasm(
  a: FloatArray,
  b: FloatArray,
  out: Float32Array,
  batch: number,
  M: number,
  K: number,
  N: number,
  aBatchStride: number,
  bBatchStride: number,
  transA: boolean,
  transB: boolean,
): void {
  const k = kernels();
  if (k === null) throw new Error('matmulWasm: WebAssembly SIMD is not available in this engine');
  // A batch of contiguous A against one shared B is a single taller product.
  const fold = batch > 1 && bBatchStride === 0 && !transA && aBatchStride === M * K;
  const rows = fold ? batch * M : M;
  const items = fold ? 1 : batch;
  const Mp = Math.ceil(rows / MR) * MR;
  const Np = Math.ceil(N / NR) * NR;
  // Float offsets in the kernel's memory, each 16-byte aligned: raw copies of A and B, their
  // packed panels, then C [Mp, Np].
  const align4 = (n: number): number => (n + 3) & ~3;
  const rawA = 0;
  const rawB = rawA + align4(rows * K);
  const packedA = rawB + align4(K * N);
  const packedB = packedA + Mp * K;
  const cOff = packedB + K * Np;
  const h = heapFor(k, cOff + Mp * Np);
  if (h === null) {
    matmulJs(a, b, out, batch, M, K, N, aBatchStride, bBatchStride, transA, transB);
    return;
  }
  for (let bi = 0; bi < items; bi++) {
    // A bulk copy (which also narrows float64), then the panel packing runs in WebAssembly.
    if (bi === 0 || aBatchStride !== 0) {
      const ao = bi * aBatchStride;
      h.set(a.subarray(ao, ao + rows * K), rawA);
      k.exports.packA(rawA * 4, packedA * 4, rows, K, transA ? 1 : K, transA ? M : 1);
    }
    if (bi === 0 || bBatchStride !== 0) {
      const bo = bi * bBatchStride;
      h.set(b.subarray(bo, bo + K * N), rawB);
      k.exports.packB(rawB * 4, packedB * 4, N, K, transB ? K : 1, transB ? 1 : N);
    }
    gemm(k, packedA * 4, packedB * 4, cOff * 4, Mp, Np, K);
    const oo = bi * rows * N;
    if (Np === N) {
      out.set(h.subarray(cOff, cOff + rows * N), oo);
    } else {
      for (let i = 0; i < rows; i++) out.set(h.subarray(cOff + i * Np, cOff + i * Np + N), oo + i * N);
    }
  }
}
