// Adaptive average pooling: PyTorch's start/end windows, computed as two small averaging
// matrices (rows of H, then of W) so any backend with matmul (fused or composite) runs it.

import { matmul } from '../../ops/matmul.js';
import { squeeze, transpose, unsqueeze } from '../../ops/shape.js';
import { any, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkInput, fmt } from './conv-args.js';
import { avgPool2dImpl } from './pool.js';

// torch.nn.functional.adaptive_avg_pool2d(input, output_size); the size is checked below.
const ADAPTIVE_AVG_POOL2D = signature('F.adaptiveAvgPool2d', [req('input', any), req('outputSize', any)]);

/** Output size of adaptive pooling: one size for both dims, or `[h, w]` where `null` keeps the input's. */
export type AdaptiveSize = number | readonly (number | null)[];

/** [out, size] matrix averaging input rows floor(i·size/out) .. ceil((i+1)·size/out) into row i. */
function averagingMatrix(x: Tensor, size: number, out: number): Tensor {
  const m = new (x.dtype === 'float64' ? Float64Array : Float32Array)(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return fromArray('adaptiveAvgPool2d', m, [out, size], x.dtype, { device: x.device });
}

/**
 * Adaptive 2-D average pooling of x [N, C, H, W] (or [C, H, W]) to `outputSize`; window i
 * spans floor(i·H/oH) .. ceil((i+1)·H/oH), as PyTorch.
 *
 * ```ts
 * const pooled = F.adaptiveAvgPool2d(x, 1);       // global average pooling → [N, C, 1, 1]
 * const y = F.adaptiveAvgPool2d(x, [7, null]);    // keep W
 * ```
 */
export function adaptiveAvgPool2d(
  input: Tensor,
  ...rest: PosOrOpts<[outputSize: AdaptiveSize], { outputSize?: AdaptiveSize }>
): Tensor {
  const a = ADAPTIVE_AVG_POOL2D.parse<{ input: Tensor; outputSize: AdaptiveSize }>([input, ...rest]);
  return adaptiveImpl(a.input, a.outputSize);
}

function adaptiveImpl(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  if (x?.ndim === 3) return squeeze(adaptiveImpl(unsqueeze(x, 0), outputSize), 0);
  checkInput(op, x, 4, '[N, C, H, W] or [C, H, W]');
  const [, , H, W] = x.shape;
  const req = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  if (req.length !== 2 || !req.every((v) => v === null || (Number.isInteger(v) && (v as number) >= 1))) {
    throw new Error(
      `${op}: outputSize must be a positive integer or a pair of them (or null), got ${JSON.stringify(outputSize)}`,
    );
  }
  const oH = req[0] ?? H;
  const oW = req[1] ?? W;
  if (H === 0 || W === 0) throw new Error(`${op}: input ${fmt(x.shape)} has an empty spatial dim`);
  if (oH === H && oW === W) return x.mul(1);
  // Evenly dividing sizes are plain average pooling, which may have a fused kernel.
  if (H % oH === 0 && W % oW === 0) return avgPool2dImpl(x, [H / oH, W / oW], {});
  const rows = averagingMatrix(x, H, oH);
  const cols = transpose(averagingMatrix(x, W, oW), 0, 1);
  return matmul(matmul(rows, x), cols);
}
