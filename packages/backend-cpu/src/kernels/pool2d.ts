import { type Pool2dParams, pool2dOutputShape, type Shape } from '@proj/core';
import { alloc, type FloatArray, floatLike } from '../storage.js';
import { maxPool2x2Wasm } from './spatial-wasm.js';

/**
 * Max pooling over x [N, C, H, W]. Padding counts as -Infinity, so padded taps never win.
 * Returns the values and, per output, the flat index h·W + w of the chosen input element
 * within its plane. NaN propagates (a NaN tap is chosen), as in PyTorch.
 */
export function maxPool2dOp(x: FloatArray, shape: Shape, p: Pool2dParams): [FloatArray, Int32Array] {
  const [N, C, H, W] = shape;
  const [, , oH, oW] = pool2dOutputShape(shape, p);
  const [kH, kW] = p.kernel;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  const out = floatLike(x, N * C * oH * oW);
  const arg = alloc('int32', out.length) as Int32Array;
  if (x instanceof Float32Array && maxPool2x2Wasm(x, N * C, H, W, oH, oW, p, out as Float32Array, arg)) {
    return [out, arg];
  }
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = ow * sW - pW;
        let m = Number.NEGATIVE_INFINITY;
        let best = -1;
        for (let i = 0; i < kH; i++) {
          const h = h0 + i * dH;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < kW; j++) {
            const w = w0 + j * dW;
            if (w < 0 || w >= W) continue;
            const v = x[base + h * W + w];
            if (best < 0 || v > m || Number.isNaN(v)) {
              m = v;
              best = h * W + w;
              if (Number.isNaN(v)) break;
            }
          }
          if (Number.isNaN(m)) break;
        }
        out[o] = m;
        arg[o] = Math.max(best, 0); // 0 for an all-padding window
      }
    }
  }
  return [out, arg];
}

/**
 * Average pooling over x [N, C, H, W]. With `countIncludePad` (PyTorch's default) the divisor
 * counts taps inside the padded input (so windows hanging past the padding in ceil mode
 * divide by fewer); without it, only taps inside the input.
 */
export function avgPool2dOp(x: FloatArray, shape: Shape, p: Pool2dParams): FloatArray {
  const [N, C, H, W] = shape;
  const [, , oH, oW] = pool2dOutputShape(shape, p);
  const [kH, kW] = p.kernel;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  const includePad = p.countIncludePad ?? true;
  const out = floatLike(x, N * C * oH * oW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = ow * sW - pW;
        let s = 0;
        let inside = 0;
        let padded = 0;
        for (let i = 0; i < kH; i++) {
          const h = h0 + i * dH;
          if (h < -pH || h >= H + pH) continue;
          const hIn = h >= 0 && h < H;
          for (let j = 0; j < kW; j++) {
            const w = w0 + j * dW;
            if (w < -pW || w >= W + pW) continue;
            padded++;
            if (hIn && w >= 0 && w < W) {
              s += x[base + h * W + w];
              inside++;
            }
          }
        }
        const div = includePad ? padded : inside;
        out[o] = div > 0 ? s / div : Number.NaN;
      }
    }
  }
  return out;
}
