import type { Conv2dGeometry, Conv2dParams } from '@proj/core';
import { gathersEnabled, heapFor, type Kernels, kernels } from '../wasm/module.js';
import { WASM_MIN_WORK } from './matmul.js';
import { gemmResident, residentScratch } from './matmul-wasm.js';

// The three float32 convolution kernels with every intermediate in the WebAssembly module's
// memory: per chunk of images, the input goes in once, im2col writes the columns there, the
// GEMM packs them from there, and the result is reordered to NCHW there (copy_blocks) and copied
// out once. The JavaScript path (conv2d.ts) moved the columns and the GEMM's result through
// JavaScript arrays: four extra copies of each, plus a row-by-row reorder. Same GEMM, same
// accumulation order: the same bits. Each returns false (nothing written) when the module or the
// room in its memory is missing; conv2d.ts then runs its JavaScript path.

/** Geometry with the im2col matrix's sizes (as conv2d.ts computes it). */
export interface ChunkGeometry extends Conv2dGeometry {
  K: number;
  P: number;
}

const align4 = (n: number): number => (n + 3) & ~3;

/**
 * Float offsets of consecutive 16-byte-aligned regions of the given sizes in the module's
 * memory (grown to hold them all), with the memory's view; null when it cannot hold them.
 */
function regions(k: Kernels, ...sizes: number[]): { at: number[]; h: Float32Array } | null {
  const at: number[] = [];
  let end = 0;
  for (const s of sizes) {
    at.push(end);
    end += align4(s);
  }
  const h = heapFor(k, end);
  return h === null ? null : { at, h };
}

/** Group gi's channels of a chunk's dy [nb, O, P] (at float offset `dy`) into the GEMM operand [Og, nb·P] at `dyc`. */
function gatherGroup(k: Kernels, g: ChunkGeometry, gi: number, nb: number, dy: number, dyc: number): void {
  const { O, Og, P } = g;
  k.exports.copy_blocks((dy + gi * Og * P) * 4, dyc * 4, Og, nb, P, P, O * P, nb * P, P);
}

/** The module's im2col/col2im arguments after (x, cols): nb, xstride, Cg, H, W, oH, oW, kH, kW, strides, pads, dilations, ld. */
function geometryArgs(g: ChunkGeometry, p: Conv2dParams, nb: number, ld: number): number[] {
  return [
    nb,
    g.C * g.H * g.W,
    g.Cg,
    g.H,
    g.W,
    g.oH,
    g.oW,
    g.kH,
    g.kW,
    ...p.stride,
    ...p.padding,
    ...p.dilation,
    ld,
  ];
}

/**
 * The module, when the gathers may run and one image's GEMM is big enough for matmul() to run it
 * in WebAssembly too (below that it accumulates in JavaScript, differently: the paths must agree).
 */
function ready(g: ChunkGeometry): Kernels | null {
  return gathersEnabled() && g.Og * g.K * g.P >= WASM_MIN_WORK ? kernels() : null;
}

/** conv2d of x [N, C, H, W] with w [O, Cg, kH, kW] into out [N, O, oH, oW], `nbMax` images per chunk. */
export function conv2dWasm(
  x: Float32Array,
  w: Float32Array,
  g: ChunkGeometry,
  p: Conv2dParams,
  nbMax: number,
  out: Float32Array,
): boolean {
  const k = ready(g);
  if (k === null) return false;
  const { N, C, H, W, O, Og, Cg, K, P } = g;
  const img = C * H * W;
  const ldMax = nbMax * P;
  const r = regions(k, O * K, nbMax * img, K * ldMax, nbMax * O * P, residentScratch(Og, K, ldMax));
  if (r === null) return false;
  const { h } = r;
  const [W0, X, COLS, OUT, SCR] = r.at;
  h.set(w, W0);
  for (let n0 = 0; n0 < N; n0 += nbMax) {
    const nb = Math.min(nbMax, N - n0);
    const ld = nb * P;
    h.set(x.subarray(n0 * img, (n0 + nb) * img), X);
    for (let gi = 0; gi < p.groups; gi++) {
      k.exports.im2col((X + gi * Cg * H * W) * 4, COLS * 4, ...geometryArgs(g, p, nb, ld));
      const { c, ldc } = gemmResident(
        k,
        { off: W0 + gi * Og * K, rs: K, cs: 1 },
        { off: COLS, rs: ld, cs: 1 },
        Og,
        K,
        ld,
        SCR,
      );
      // C [Og, nb·P] → OUT [nb, O, P] at the group's channels
      k.exports.copy_blocks(c * 4, (OUT + gi * Og * P) * 4, Og, nb, P, ldc, P, P, O * P);
    }
    out.set(h.subarray(OUT, OUT + nb * O * P), n0 * O * P);
  }
  return true;
}

/** The gradient of conv2d w.r.t. x: dy [N, O, oH, oW] and w into dx [N, C, H, W] (zeros on entry). */
export function conv2dBackwardInputWasm(
  dy: Float32Array,
  w: Float32Array,
  g: ChunkGeometry,
  p: Conv2dParams,
  nbMax: number,
  dx: Float32Array,
): boolean {
  const k = ready(g);
  if (k === null) return false;
  const { N, C, H, W, O, Og, Cg, K, P } = g;
  const img = C * H * W;
  const ldMax = nbMax * P;
  const r = regions(k, O * K, nbMax * O * P, Og * ldMax, nbMax * img, residentScratch(K, Og, ldMax));
  if (r === null) return false;
  const { h } = r;
  const [W0, DY, DYC, DX, SCR] = r.at;
  h.set(w, W0);
  for (let n0 = 0; n0 < N; n0 += nbMax) {
    const nb = Math.min(nbMax, N - n0);
    const ld = nb * P;
    h.set(dy.subarray(n0 * O * P, (n0 + nb) * O * P), DY);
    h.fill(0, DX, DX + nb * img);
    for (let gi = 0; gi < p.groups; gi++) {
      // dy's group channels [nb, Og, P] → DYC [Og, nb·P]
      gatherGroup(k, g, gi, nb, DY, DYC);
      // cols [K, nb·P] = W_gᵀ [K, Og] · DYC, folded back onto the group's planes
      const { c, ldc } = gemmResident(
        k,
        { off: W0 + gi * Og * K, rs: 1, cs: K },
        { off: DYC, rs: ld, cs: 1 },
        K,
        Og,
        ld,
        SCR,
      );
      k.exports.col2im(c * 4, (DX + gi * Cg * H * W) * 4, ...geometryArgs(g, p, nb, ldc));
    }
    dx.set(h.subarray(DX, DX + nb * img), n0 * img);
  }
  return true;
}

/** The gradient of conv2d w.r.t. w: x and dy into dw [O, Cg, kH, kW], summed over chunks in order. */
export function conv2dBackwardFilterWasm(
  x: Float32Array,
  dy: Float32Array,
  g: ChunkGeometry,
  p: Conv2dParams,
  nbMax: number,
  dw: Float32Array,
): boolean {
  const k = ready(g);
  if (k === null) return false;
  const { N, C, H, W, O, Og, Cg, K, P } = g;
  const img = C * H * W;
  const ldMax = nbMax * P;
  const r = regions(k, nbMax * img, K * ldMax, nbMax * O * P, Og * ldMax, residentScratch(Og, ldMax, K));
  if (r === null) return false;
  const { h } = r;
  const [X, COLS, DY, DYC, SCR] = r.at;
  for (let n0 = 0; n0 < N; n0 += nbMax) {
    const nb = Math.min(nbMax, N - n0);
    const ld = nb * P;
    h.set(x.subarray(n0 * img, (n0 + nb) * img), X);
    h.set(dy.subarray(n0 * O * P, (n0 + nb) * O * P), DY);
    for (let gi = 0; gi < p.groups; gi++) {
      k.exports.im2col((X + gi * Cg * H * W) * 4, COLS * 4, ...geometryArgs(g, p, nb, ld));
      gatherGroup(k, g, gi, nb, DY, DYC);
      // dW_g [Og, K] = DYC [Og, nb·P] · colsᵀ [nb·P, K]
      const { c, ldc } = gemmResident(
        k,
        { off: DYC, rs: ld, cs: 1 },
        { off: COLS, rs: 1, cs: ld },
        Og,
        ld,
        K,
        SCR,
      );
      for (let o = 0; o < Og; o++) {
        const src = c + o * ldc;
        const dst = (gi * Og + o) * K;
        if (n0 === 0) dw.set(h.subarray(src, src + K), dst);
        else for (let j = 0; j < K; j++) dw[dst + j] += h[src + j];
      }
    }
  }
  return true;
}
