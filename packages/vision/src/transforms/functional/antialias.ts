// Anti-aliased resampling weights, as PyTorch's `interpolate(..., antialias=True)` (and PIL's
// resize) compute them: each output pixel averages the input pixels under a filter stretched
// by the downscaling factor, so shrinking does not alias. Separable, so a resize is two small
// matrix products (differentiable, on any backend).
import { type Tensor, tensor } from '@proj/core';

/** The two anti-aliasing filters: a triangle (bilinear) and Keys' cubic with a = -0.5 (bicubic). */
export type AntialiasFilter = 'bilinear' | 'bicubic';

function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

function cubic(x: number): number {
  const A = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * A;
  return 0;
}

/**
 * The [outSize, inSize] matrix whose row i holds the weights of output pixel i along one dim
 * (PyTorch's `_compute_indices_weights_aa`, align_corners=False): centre `scale * (i + 0.5)`,
 * support `size/2 * max(scale, 1)` (size 2 for bilinear, 4 for bicubic), weights
 * `filter((j - centre + 0.5) / max(scale, 1))` normalised to sum 1.
 */
export function antialiasWeights(inSize: number, outSize: number, filter: AntialiasFilter): Float64Array {
  const fn = filter === 'bilinear' ? triangle : cubic;
  const interpSize = filter === 'bilinear' ? 2 : 4;
  const scale = inSize / outSize;
  const support = scale >= 1 ? interpSize * 0.5 * scale : interpSize * 0.5;
  const invScale = scale >= 1 ? 1 / scale : 1;
  const out = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    // C++ casts to int64 truncate toward zero.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let j = xmin; j < xmax; j++) {
      const w = fn((j - center + 0.5) * invScale);
      out[i * inSize + j] = w;
      total += w;
    }
    if (total !== 0) for (let j = xmin; j < xmax; j++) out[i * inSize + j] /= total;
  }
  return out;
}

/**
 * Resizes [N, C, H, W] to [N, C, oh, ow] with anti-aliasing: `Wh · x · Wwᵀ` with the weight
 * matrices of {@link antialiasWeights}, in the input's (float) dtype on its device.
 */
export function antialiasResize(x: Tensor, oh: number, ow: number, filter: AntialiasFilter): Tensor {
  const [h, w] = x.shape.slice(-2);
  const opts = { dtype: x.dtype, device: x.device };
  const wh = tensor(antialiasWeights(h, oh, filter), opts).reshape(oh, h);
  const ww = tensor(antialiasWeights(w, ow, filter), opts).reshape(ow, w);
  return wh.matmul(x.matmul(ww.t()));
}
