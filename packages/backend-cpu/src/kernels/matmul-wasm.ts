import type { FloatArray } from '../storage.js';
import { matmulJs } from './matmul-js.js';
import { MATMUL_MR, MATMUL_NR, MATMUL_WASM_BASE64 } from './matmul-wasm.generated.js';

// Local copies: the packing loops read these constantly, and an imported binding may compile to a getter.
const MR = MATMUL_MR;
const NR = MATMUL_NR;

/** K-block: a [KC x NR] panel of packed B (8 KiB) stays in L1 while it sweeps an [MC x KC] block of A. */
const KC = 256;
/** M-block: the [MC x KC] block of packed A (128 KiB) stays in L2. */
const MC = 128;
/** N-block: the [KC x NC] block of packed B (256 KiB) stays in L2/L3 across the M-blocks. */
const NC = 256;
const PAGE = 65536;
/** wasm32 addresses: 65536 pages of 64 KiB. */
const MAX_BYTES = 65536 * PAGE;
// The kernel's block loops step by whole micro-tiles, so the M and N blocks are multiples of them.
const MC_BLOCK = Math.max(MR, Math.floor(MC / MR) * MR);
const NC_BLOCK = Math.max(NR, Math.floor(NC / NR) * NR);

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm: (
    a: number,
    b: number,
    c: number,
    mp: number,
    np: number,
    k: number,
    kc: number,
    mc: number,
    nc: number,
  ) => void;
  /** Packs op(X)[rows,K], op(X)[i,k] = X[i*rs + k*cs], into MR-row panels (rows past `rows` zeroed). */
  packA: (src: number, dst: number, rows: number, k: number, rs: number, cs: number) => void;
  /** Same as packA with NR-row panels: packs op(B)^T, i.e. NR columns of op(B) per panel. */
  packB: (src: number, dst: number, rows: number, k: number, rs: number, cs: number) => void;
}

/** undefined: not tried yet; null: WebAssembly SIMD unavailable here. */
let kernel: GemmExports | null | undefined;
let heap: Float32Array = new Float32Array(0);

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node 16+ and browsers; the module is a few KiB, decoded once.
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Instantiates the SIMD module once, synchronously; null when this engine lacks WebAssembly SIMD. */
function load(): GemmExports | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly === 'object') {
    const bytes = decodeBase64(MATMUL_WASM_BASE64);
    // The module itself uses v128, so validating it is the SIMD feature test.
    if (WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      kernel = instance.exports as unknown as GemmExports;
    }
  }
  return kernel;
}

/** Whether the WebAssembly SIMD float32 kernel can run in this engine. */
export function wasmMatmulAvailable(): boolean {
  return load() !== null;
}

/**
 * Bytes of the matmul kernel's WebAssembly memory: it grows to the largest product seen and
 * cannot shrink (WebAssembly has no shrink), so it is bounded by the largest shape, not by the
 * number of shapes. Reported in the backend's memory().
 */
export function wasmHeapBytes(): number {
  return kernel ? kernel.memory.buffer.byteLength : 0;
}

/**
 * A float32 view of the kernel's memory holding at least `floats` elements, growing the memory
 * (it never shrinks: later products reuse it); null when wasm32's 4 GiB cannot hold them.
 */
function heapFor(k: GemmExports, floats: number): Float32Array | null {
  const need = floats * 4;
  const have = k.memory.buffer.byteLength;
  if (need > have) {
    if (need > MAX_BYTES) return null;
    try {
      k.memory.grow(Math.ceil((need - have) / PAGE));
    } catch {
      return null;
    }
  }
  if (heap.buffer !== k.memory.buffer) heap = new Float32Array(k.memory.buffer);
  return heap;
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
  const k = load();
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
      k.packA(rawA * 4, packedA * 4, rows, K, transA ? 1 : K, transA ? M : 1);
    }
    if (bi === 0 || bBatchStride !== 0) {
      const bo = bi * bBatchStride;
      h.set(b.subarray(bo, bo + K * N), rawB);
      k.packB(rawB * 4, packedB * 4, N, K, transB ? K : 1, transB ? 1 : N);
    }
    k.gemm(packedA * 4, packedB * 4, cOff * 4, Mp, Np, K, KC, MC_BLOCK, NC_BLOCK);
    const oo = bi * rows * N;
    if (Np === N) {
      out.set(h.subarray(cOff, cOff + rows * N), oo);
    } else {
      for (let i = 0; i < rows; i++) out.set(h.subarray(cOff + i * Np, cOff + i * Np + N), oo + i * N);
    }
  }
}
