import { type Conv2dGeometry, type Conv2dParams, conv2dGeometry, type Shape } from '@proj/core';
import { type FloatArray, floatLike } from '../storage.js';
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
 * Unfolds the Cg input planes at `xo` into `cols` [Cg·kH·kW, oH·oW] (zeros where padded) and returns
 * it; for a pointwise kernel (no `cols`) the planes already are that matrix and a view is returned.
 * col2im below mirrors this walk; they stay two functions because a shared one with a direction
 * flag measured ~10% slower for col2im.
 */
function im2col(x: FloatArray, xo: number, g: Geometry, p: Conv2dParams, cols?: FloatArray): FloatArray {
  if (cols === undefined) return x.subarray(xo, xo + g.K * g.P);
  const { H, W, kH, kW, oH, oW, P } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  cols.fill(0);
  for (let c = 0; c < g.Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      const [h0, h1] = validRange(H, oH, ki, sH, pH, dH);
      for (let kj = 0; kj < kW; kj++) {
        const [w0, w1] = validRange(W, oW, kj, sW, pW, dW);
        const row = ((c * kH + ki) * kW + kj) * P;
        for (let oh = h0; oh < h1; oh++) {
          const src = plane + (oh * sH - pH + ki * dH) * W + kj * dW - pW;
          const dst = row + oh * oW;
          for (let ow = w0; ow < w1; ow++) cols[dst + ow] = x[src + ow * sW];
        }
      }
    }
  }
  return cols;
}

/** Folds `cols` [Cg·kH·kW, oH·oW] back onto the Cg planes at `xo`, accumulating overlaps. */
function col2im(cols: FloatArray, x: FloatArray, xo: number, g: Geometry, p: Conv2dParams): void {
  const { H, W, kH, kW, oH, oW, P } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  for (let c = 0; c < g.Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      const [h0, h1] = validRange(H, oH, ki, sH, pH, dH);
      for (let kj = 0; kj < kW; kj++) {
        const [w0, w1] = validRange(W, oW, kj, sW, pW, dW);
        const row = ((c * kH + ki) * kW + kj) * P;
        for (let oh = h0; oh < h1; oh++) {
          const dst = plane + (oh * sH - pH + ki * dH) * W + kj * dW - pW;
          const src = row + oh * oW;
          for (let ow = w0; ow < w1; ow++) x[dst + ow * sW] += cols[src + ow];
        }
      }
    }
  }
}

/**
 * conv2d by im2col + matmul: per image and group, out[Og, P] = W_g[Og, K] · cols[K, P].
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
  const cols = g.pointwise ? undefined : floatLike(x, K * P);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < p.groups; gi++) {
      const xo = (n * C + gi * Cg) * H * W;
      const src = im2col(x, xo, g, p, cols);
      const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
      const oo = (n * O + gi * Og) * P;
      matmul(wg, src, out.subarray(oo, oo + Og * P), 1, Og, K, P, 0, 0, false, false);
    }
  }
  return out;
}

/** Gradient of conv2d w.r.t. x: per image and group, cols = W_gᵀ · dy, folded by col2im. */
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
  const cols = g.pointwise ? undefined : floatLike(dy, K * P);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < p.groups; gi++) {
      const xo = (n * C + gi * Cg) * H * W;
      const oo = (n * O + gi * Og) * P;
      const wg = w.subarray(gi * Og * K, (gi + 1) * Og * K);
      const dyg = dy.subarray(oo, oo + Og * P);
      // W_g is stored [Og, K]; as transA it is read as the [K, Og] left factor.
      const dst = cols ?? dx.subarray(xo, xo + K * P);
      matmul(wg, dyg, dst, 1, K, Og, P, 0, 0, true, false);
      if (cols) col2im(cols, dx, xo, g, p);
    }
  }
  return dx;
}

/** Gradient of conv2d w.r.t. w: dW_g = Σ_n dy[n, g] · cols[n, g]ᵀ. */
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
  const cols = g.pointwise ? undefined : floatLike(x, K * P);
  const tmp = floatLike(x, Og * K);
  for (let gi = 0; gi < p.groups; gi++) {
    const dwg = dw.subarray(gi * Og * K, (gi + 1) * Og * K);
    for (let n = 0; n < N; n++) {
      const xo = (n * C + gi * Cg) * H * W;
      const oo = (n * O + gi * Og) * P;
      const src = im2col(x, xo, g, p, cols);
      // cols is stored [K, P]; as transB it is read as the [P, K] right factor.
      matmul(dy.subarray(oo, oo + Og * P), src, n === 0 ? dwg : tmp, 1, Og, P, K, 0, 0, false, true);
      if (n > 0) for (let i = 0; i < tmp.length; i++) dwg[i] += tmp[i];
    }
  }
  return dw;
}
