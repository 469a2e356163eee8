import { type Conv2dGeometry, type Conv2dParams, conv2dGeometry, type Shape } from '@proj/core';
import { type FloatArray, floatLike } from '../storage.js';
import { conv2dBackwardFilterWasm, conv2dBackwardInputWasm, conv2dWasm } from './conv2d-wasm.js';
import { matmul } from './matmul.js';

/** Geometry shared by the three convolution kernels. */
interface Geometry extends Conv2dGeometry {
  /** Rows of the im2col matrix (Cg·kH·kW) and its columns (oH·oW). */
  K: number;
  P: number;
  /** A 1×1, stride-1, unpadded kernel: the input plane block already is the im2col matrix. */
  pointwise: boolean;
}

function geometry(xShape: Shape, wShape: Shape, p: Conv2dParams): Geometry {
  const g = conv2dGeometry(xShape, wShape, p);
  const { kH, kW } = g;
  const pointwise =
    kH === 1 &&
    kW === 1 &&
    p.stride[0] === 1 &&
    p.stride[1] === 1 &&
    p.padding[0] === 0 &&
    p.padding[1] === 0;
  return { ...g, K: g.Cg * kH * kW, P: g.oH * g.oW, pointwise };
}

/** First and one-past-last output position whose tap `k` lands inside [0, size). */
function validRange(
  size: number,
  out: number,
  k: number,
  stride: number,
  pad: number,
  dil: number,
): [number, number] {
  const shift = k * dil - pad; // input coordinate = o * stride + shift
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = Math.min(out, Math.floor((size - 1 - shift) / stride) + 1);
  return [Math.min(lo, out), Math.max(hi, Math.min(lo, out))];
}

/**
 * Images per chunk of the batched kernels: the chunk's im2col matrix [K, nb·P] stays under this
 * many elements (16 MiB of float32), so one GEMM covers many images (one packing, one split
 * over the threads) without an unbounded scratch buffer.
 */
const COLS_MAX = 1 << 22;

/** Images per chunk for geometry `g` (see {@link COLS_MAX}). */
function chunkOf(g: Geometry): number {
  return Math.max(1, Math.min(g.N, Math.floor(COLS_MAX / Math.max(1, g.K * g.P))));
}

/**
 * Unfolds the Cg input planes at `xo` into columns `co`..`co + P` of `cols` [Cg·kH·kW, ld]
 * (row stride `ld`), skipping padded taps: the caller zeroes `cols` first. col2im below mirrors
 * this walk; they stay two functions because a shared one with a direction flag measured ~10%
 * slower for col2im.
 */
function im2col(
  x: FloatArray,
  xo: number,
  g: Geometry,
  p: Conv2dParams,
  cols: FloatArray,
  co: number,
  ld: number,
): void {
  const { H, W, kH, kW, oH, oW } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  for (let c = 0; c < g.Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      const [h0, h1] = validRange(H, oH, ki, sH, pH, dH);
      for (let kj = 0; kj < kW; kj++) {
        const [w0, w1] = validRange(W, oW, kj, sW, pW, dW);
        const row = ((c * kH + ki) * kW + kj) * ld + co;
        for (let oh = h0; oh < h1; oh++) {
          const src = plane + (oh * sH - pH + ki * dH) * W + kj * dW - pW;
          const dst = row + oh * oW;
          for (let ow = w0; ow < w1; ow++) cols[dst + ow] = x[src + ow * sW];
        }
      }
    }
  }
}

/** Folds columns `co`..`co + P` of `cols` [Cg·kH·kW, ld] back onto the Cg planes at `xo`, accumulating overlaps. */
function col2im(
  cols: FloatArray,
  co: number,
  ld: number,
  x: FloatArray,
  xo: number,
  g: Geometry,
  p: Conv2dParams,
): void {
  const { H, W, kH, kW, oH, oW } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  for (let c = 0; c < g.Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      const [h0, h1] = validRange(H, oH, ki, sH, pH, dH);
      for (let kj = 0; kj < kW; kj++) {
        const [w0, w1] = validRange(W, oW, kj, sW, pW, dW);
        const row = ((c * kH + ki) * kW + kj) * ld + co;
        for (let oh = h0; oh < h1; oh++) {
          const dst = plane + (oh * sH - pH + ki * dH) * W + kj * dW - pW;
          const src = row + oh * oW;
          for (let ow = w0; ow < w1; ow++) x[dst + ow * sW] += cols[src + ow];
        }
      }
    }
  }
}

/** The im2col matrix [K, nb·P] of images n0..n0+nb-1, group gi, into `cols` (zeroed here). */
function unfoldChunk(
  x: FloatArray,
  g: Geometry,
  p: Conv2dParams,
  gi: number,
  n0: number,
  nb: number,
  cols: FloatArray,
): void {
  const ld = nb * g.P;
  cols.fill(0, 0, g.K * ld);
  for (let n = 0; n < nb; n++) im2col(x, ((n0 + n) * g.C + gi * g.Cg) * g.H * g.W, g, p, cols, n * g.P, ld);
}

/**
 * Moves group gi's channels of images n0..n0+nb-1 between the NCHW-ordered `t` [N, O, P] and the
 * chunk matrix `m` [Og, nb·P] (column n·P + p of row o is t[n0 + n, gi·Og + o, p]): `toChunk`
 * gathers, else scatters.
 */
function chunkRows(
  t: FloatArray,
  m: FloatArray,
  g: Geometry,
  gi: number,
  n0: number,
  nb: number,
  toChunk: boolean,
): void {
  const { O, Og, P } = g;
  const ld = nb * P;
  for (let o = 0; o < Og; o++) {
    for (let n = 0; n < nb; n++) {
      const to = ((n0 + n) * O + gi * Og + o) * P;
      const mo = o * ld + n * P;
      if (toChunk) m.set(t.subarray(to, to + P), mo);
      else t.set(m.subarray(mo, mo + P), to);
    }
  }
}

/**
 * conv2d by im2col + matmul: out[Og, nb·P] = W_g[Og, K] · cols[K, nb·P] per group and chunk of
 * images (per image for a pointwise kernel, whose planes already are the matrix).
 * Returns [N, O, oH, oW]; bias is core's business.
 */
export function conv2dOp(
  x: FloatArray,
  xShape: Shape,
  w: FloatArray,
  wShape: Shape,
  p: Conv2dParams,
): FloatArray {
  const g = geometry(xShape, wShape, p);
  const { N, C, H, W, O, Cg, Og, K, P } = g;
  const out = floatLike(x, N * O * P);
  if (out.length === 0) return out;
  if (K === 0) return out.fill(0);
  if (g.pointwise) {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < p.groups; gi++) {
        const xo = (n * C + gi * Cg) * H * W;
        const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
        const oo = (n * O + gi * Og) * P;
        matmul(
          wg,
          x.subarray(xo, xo + K * P),
          out.subarray(oo, oo + Og * P),
          1,
          Og,
          K,
          P,
          0,
          0,
          false,
          false,
        );
      }
    }
    return out;
  }
  const nbMax = chunkOf(g);
  if (
    x instanceof Float32Array &&
    w instanceof Float32Array &&
    conv2dWasm(x, w, g, p, nbMax, out as Float32Array)
  ) {
    return out;
  }
  const cols = floatLike(x, K * nbMax * P);
  const tmp = floatLike(x, Og * nbMax * P);
  for (let n0 = 0; n0 < N; n0 += nbMax) {
    const nb = Math.min(nbMax, N - n0);
    const ld = nb * P;
    for (let gi = 0; gi < p.groups; gi++) {
      unfoldChunk(x, g, p, gi, n0, nb, cols);
      const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
      matmul(wg, cols.subarray(0, K * ld), tmp.subarray(0, Og * ld), 1, Og, K, ld, 0, 0, false, false);
      chunkRows(out, tmp, g, gi, n0, nb, false);
    }
  }
  return out;
}

/** Gradient of conv2d w.r.t. x: cols[K, nb·P] = W_gᵀ · dy_g[Og, nb·P] per group and chunk, folded by col2im. */
export function conv2dBackwardInputOp(
  dy: FloatArray,
  w: FloatArray,
  wShape: Shape,
  xShape: Shape,
  p: Conv2dParams,
): FloatArray {
  const g = geometry(xShape, wShape, p);
  const { N, C, H, W, O, Cg, Og, K, P } = g;
  const dx = floatLike(dy, N * C * H * W);
  if (dx.length === 0 || P === 0) return dx;
  if (g.pointwise) {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < p.groups; gi++) {
        const xo = (n * C + gi * Cg) * H * W;
        const oo = (n * O + gi * Og) * P;
        const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
        // W_g is stored [Og, K]; as transA it is read as the [K, Og] left factor.
        matmul(wg, dy.subarray(oo, oo + Og * P), dx.subarray(xo, xo + K * P), 1, K, Og, P, 0, 0, true, false);
      }
    }
    return dx;
  }
  const nbMax = chunkOf(g);
  if (
    dy instanceof Float32Array &&
    w instanceof Float32Array &&
    conv2dBackwardInputWasm(dy, w, g, p, nbMax, dx as Float32Array)
  ) {
    return dx;
  }
  const cols = floatLike(dy, K * nbMax * P);
  const dyc = floatLike(dy, Og * nbMax * P);
  for (let n0 = 0; n0 < N; n0 += nbMax) {
    const nb = Math.min(nbMax, N - n0);
    const ld = nb * P;
    for (let gi = 0; gi < p.groups; gi++) {
      chunkRows(dy, dyc, g, gi, n0, nb, true);
      const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
      matmul(wg, dyc.subarray(0, Og * ld), cols.subarray(0, K * ld), 1, K, Og, ld, 0, 0, true, false);
      for (let n = 0; n < nb; n++) col2im(cols, n * P, ld, dx, ((n0 + n) * C + gi * Cg) * H * W, g, p);
    }
  }
  return dx;
}

/** Gradient of conv2d w.r.t. w: dW_g = Σ_chunks dy_g[Og, nb·P] · cols[K, nb·P]ᵀ. */
export function conv2dBackwardFilterOp(
  x: FloatArray,
  xShape: Shape,
  dy: FloatArray,
  wShape: Shape,
  p: Conv2dParams,
): FloatArray {
  const g = geometry(xShape, wShape, p);
  const { N, C, H, W, O, Cg, Og, K, P } = g;
  const dw = floatLike(x, O * K);
  if (dw.length === 0 || N === 0 || P === 0) return dw;
  const nbMax = g.pointwise ? 1 : chunkOf(g);
  if (
    !g.pointwise &&
    x instanceof Float32Array &&
    dy instanceof Float32Array &&
    conv2dBackwardFilterWasm(x, dy, g, p, nbMax, dw as Float32Array)
  ) {
    return dw;
  }
  const cols = g.pointwise ? undefined : floatLike(x, K * nbMax * P);
  const dyc = g.pointwise ? undefined : floatLike(x, Og * nbMax * P);
  const tmp = floatLike(x, Og * K);
  for (let gi = 0; gi < p.groups; gi++) {
    const dwg = dw.subarray(gi * Og * K, (gi + 1) * Og * K);
    for (let n0 = 0; n0 < N; n0 += nbMax) {
      const nb = Math.min(nbMax, N - n0);
      const ld = nb * P;
      let a: FloatArray;
      let b: FloatArray;
      if (cols === undefined || dyc === undefined) {
        const xo = (n0 * C + gi * Cg) * H * W;
        const oo = (n0 * O + gi * Og) * P;
        a = dy.subarray(oo, oo + Og * P);
        b = x.subarray(xo, xo + K * P);
      } else {
        unfoldChunk(x, g, p, gi, n0, nb, cols);
        chunkRows(dy, dyc, g, gi, n0, nb, true);
        a = dyc.subarray(0, Og * ld);
        b = cols.subarray(0, K * ld);
      }
      // cols is stored [K, nb·P]; as transB it is read as the [nb·P, K] right factor.
      matmul(a, b, n0 === 0 ? dwg : tmp, 1, Og, ld, K, 0, 0, false, true);
      if (n0 > 0) for (let i = 0; i < tmp.length; i++) dwg[i] += tmp[i];
    }
  }
  return dw;
}
