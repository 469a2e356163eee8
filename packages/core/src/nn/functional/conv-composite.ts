// Composite convolution and pooling built from the required primitives only (pad, strided
// slice, concat-by-pad, reductions, matmul-by-broadcast), for backends without the fused
// kernels. Nothing here records for autograd: callers wrap these in `record`.
import { noGrad } from '../../autograd/grad-mode.js';
import type { Conv2dParams } from '../../backend/types.js';
import { binaryRaw } from '../../ops/binary.js';
import { cat } from '../../ops/join.js';
import { matmul } from '../../ops/matmul.js';
import { reduceRaw } from '../../ops/reduce.js';
import { padRaw, permute } from '../../ops/shape.js';
import { wrap } from '../../ops/util.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Geometry of a sliding window over the last two dims of an NCHW tensor. */
export interface Window {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  /** Output size [oH, oW] (given, so ceil-mode pooling can ask for one more window). */
  out: [number, number];
}

/** Rows of the padded input that the windows read, and the zeros added after the input. */
function extent(size: number, k: number, s: number, p: number, d: number, out: number): [number, number] {
  const needed = (out - 1) * s + d * (k - 1) + 1;
  return [needed, Math.max(0, needed - size - p)];
}

/**
 * Unfolds x [N, C, H, W] into its window taps [N, C, kH·kW, oH, oW] (im2col), with padded
 * positions holding `padValue`. Tap t = ki·kW + kj reads x[.., oh·sH − pH + ki·dH, ow·sW − pW + kj·dW].
 */
export function unfoldTaps(x: Tensor, win: Window, padValue: number): Tensor {
  return noGrad(() => {
    const [N, C, H, W] = x.shape;
    const [kH, kW] = win.kernel;
    const [sH, sW] = win.stride;
    const [pH, pW] = win.padding;
    const [dH, dW] = win.dilation;
    const [oH, oW] = win.out;
    const [, afterH] = extent(H, kH, sH, pH, dH, oH);
    const [, afterW] = extent(W, kW, sW, pW, dW, oW);
    const xp = padRaw(
      x,
      [
        [0, 0],
        [0, 0],
        [pH, afterH],
        [pW, afterW],
      ],
      padValue,
    );
    const taps: Tensor[] = [];
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const sizes = [N, C, oH, oW];
        const t = wrap(
          xp,
          xp._backend.slice(xp, [0, 0, ki * dH, kj * dW], sizes, [1, 1, sH, sW]),
          sizes,
          x.dtype,
        );
        taps.push(t._view([N, C, 1, oH, oW]));
        t.dispose();
      }
    }
    const out = cat(taps, 2);
    if (out !== xp) xp.dispose();
    for (const t of taps) if (t !== out) t.dispose();
    return out;
  });
}

/**
 * The adjoint of {@link unfoldTaps} (col2im): sums taps [N, C, kH·kW, oH, oW] back onto an
 * [N, C, H, W] input, dropping what lands in the padding.
 */
export function foldTaps(taps: Tensor, inputShape: readonly number[], win: Window): Tensor {
  return noGrad(() => {
    const [N, C, H, W] = inputShape;
    const [kH, kW] = win.kernel;
    const [sH, sW] = win.stride;
    const [pH, pW] = win.padding;
    const [dH, dW] = win.dilation;
    const [oH, oW] = win.out;
    const K = kH * kW;
    const [needH, afterH] = extent(H, kH, sH, pH, dH, oH);
    const [needW, afterW] = extent(W, kW, sW, pW, dW, oW);
    const fullH = H + pH + afterH;
    const fullW = W + pW + afterW;
    // Spread by the stride: each value followed by stride-1 zeros, in both dims.
    const spread = padRaw(
      taps._view([N, C, K, oH, 1, oW, 1]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, sH - 1],
        [0, 0],
        [0, sW - 1],
      ],
      0,
    )._view([N, C, K, oH * sH, oW * sW]);
    const spanH = Math.min(oH * sH, needH);
    const spanW = Math.min(oW * sW, needW);
    let acc: Tensor | null = null;
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const t = ki * kW + kj;
        const hLen = Math.min(spanH, fullH - ki * dH);
        const wLen = Math.min(spanW, fullW - kj * dW);
        const sizes = [N, C, 1, hLen, wLen];
        const part = wrap(
          spread,
          spread._backend.slice(spread, [0, 0, t, 0, 0], sizes, [1, 1, 1, 1, 1]),
          sizes,
          taps.dtype,
        );
        const placed = padRaw(
          part._view([N, C, hLen, wLen]),
          [
            [0, 0],
            [0, 0],
            [ki * dH, fullH - ki * dH - hLen],
            [kj * dW, fullW - kj * dW - wLen],
          ],
          0,
        );
        part.dispose();
        if (acc === null) acc = placed;
        else {
          const next = binaryRaw('add', acc, placed);
          acc.dispose();
          placed.dispose();
          acc = next;
        }
      }
    }
    spread.dispose();
    const sizes = [N, C, H, W];
    const full =
      acc ??
      wrap(taps, taps._backend.fill([N, C, fullH, fullW], taps.dtype, 0), [N, C, fullH, fullW], taps.dtype);
    const out = wrap(full, full._backend.slice(full, [0, 0, pH, pW], sizes, [1, 1, 1, 1]), sizes, taps.dtype);
    full.dispose();
    return out;
  });
}

function windowOf(wShape: readonly number[], p: Conv2dParams, out: [number, number]): Window {
  return { kernel: [wShape[2], wShape[3]], stride: p.stride, padding: p.padding, dilation: p.dilation, out };
}

/** conv2d of x [N, C, H, W] with w [O, C/g, kH, kW] → [N, O, oH, oW] by im2col and matmul. */
export function conv2dComposite(x: Tensor, w: Tensor, p: Conv2dParams, out: [number, number]): Tensor {
  return noGrad(() => {
    const N = x.shape[0];
    const [O, Cg, kH, kW] = w.shape;
    const G = p.groups;
    const K = Cg * kH * kW;
    const cols = unfoldTaps(x, windowOf(w.shape, p, out), 0);
    const y = matmul(w._view([G, O / G, K]), cols._view([N, G, K, out[0] * out[1]]));
    cols.dispose();
    const r = y._view([N, O, out[0], out[1]]);
    y.dispose();
    return r;
  });
}

/** Gradient of conv2d w.r.t. its input: dy [N, O, oH, oW] → dx of `xShape` (col2im of wᵀ·dy). */
export function conv2dBackwardInputComposite(
  dy: Tensor,
  w: Tensor,
  xShape: readonly number[],
  p: Conv2dParams,
): Tensor {
  return noGrad(() => {
    const [N, C] = xShape;
    const [O, Cg, kH, kW] = w.shape;
    const [, , oH, oW] = dy.shape;
    const G = p.groups;
    const K = Cg * kH * kW;
    const wt = permute(w._view([G, O / G, K]), 0, 2, 1);
    const cols = matmul(wt, dy._view([N, G, O / G, oH * oW]));
    wt.dispose();
    const dx = foldTaps(cols._view([N, C, kH * kW, oH, oW]), xShape, windowOf(w.shape, p, [oH, oW]));
    cols.dispose();
    return dx;
  });
}

/** Gradient of conv2d w.r.t. its weight: Σ_n dy[n] · cols[n]ᵀ, per group. */
export function conv2dBackwardFilterComposite(
  x: Tensor,
  dy: Tensor,
  wShape: readonly number[],
  p: Conv2dParams,
): Tensor {
  return noGrad(() => {
    const [N] = x.shape;
    const [O, Cg, kH, kW] = wShape;
    const [, , oH, oW] = dy.shape;
    const G = p.groups;
    const K = Cg * kH * kW;
    const cols = unfoldTaps(x, windowOf(wShape, p, [oH, oW]), 0);
    const colsT = permute(cols._view([N, G, K, oH * oW]), 0, 1, 3, 2);
    cols.dispose();
    const per = matmul(dy._view([N, G, O / G, oH * oW]), colsT);
    colsT.dispose();
    const dw = reduceRaw('sum', per, [0], false);
    per.dispose();
    const r = dw._view([O, Cg, kH, kW]);
    dw.dispose();
    return r;
  });
}
