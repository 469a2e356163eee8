import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { fmtShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryRaw } from './binary.js';
import { bmmRaw, checkMatmulDtypes, matmul } from './matmul.js';
import { reduceRaw, sum } from './reduce.js';
import { reshape, transpose } from './shape.js';
import { checkSameDevice, checkTensor } from './util.js';

/**
 * `x @ wᵀ + b` (torch.nn.functional.linear) for `x` `[..., in]`, `w` `[out, in]` and an
 * optional `b` `[out]`. The weight is read transposed by the matmul kernel (its `transB`
 * flag) instead of being copied through a permute, in the forward pass and in the gradients
 * (dx = g·w, dw = gᵀ·x through `transA`, db = g summed over the batch dims).
 *
 * ```ts
 * linear(x, fc.weight, fc.bias); // [batch, in] -> [batch, out]
 * ```
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  checkTensor('linear', x);
  checkTensor('linear', w, 'weight');
  checkSameDevice('linear', x, w);
  if (b !== null) {
    checkTensor('linear', b, 'bias');
    checkSameDevice('linear', x, b);
  }
  if (w.ndim !== 2) {
    throw new Error(`linear: weight must be 2-D [out_features, in_features], got ${fmtShape(w.shape)}`);
  }
  const [N, K] = w.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== K) {
    throw new Error(
      `linear: input ${fmtShape(x.shape)} does not end in in_features=${K} of weight ${fmtShape(w.shape)}`,
    );
  }
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== N)) {
    throw new Error(`linear: bias ${fmtShape(b.shape)} does not match out_features=${N} (expected [${N}])`);
  }
  checkMatmulDtypes('linear', x, w);
  if (b !== null && b.dtype !== x.dtype) {
    throw new Error(`linear: bias is ${b.dtype} but input and weight are ${x.dtype} (cast with .to())`);
  }
  const tx = x;
  const tw = w;
  const tb = b;
  const lead = tx.shape.slice(0, -1);
  const M = sizeOf(lead);
  const outShape = [...lead, N];
  const x3 = tx._view([1, M, K]);
  const w3 = tw._view([1, N, K]);
  const y3 = bmmRaw(x3, w3, false, true);
  x3.dispose();
  w3.dispose();
  let y = y3._view(outShape);
  y3.dispose();
  if (tb !== null) {
    // Bias as a row broadcast over the [..., out] result.
    const z = binaryRaw('add', y, tb);
    y.dispose();
    y = z;
  }
  const inputs = tb === null ? [tx, tw] : [tx, tw, tb];
  return record(
    'AddmmBackward',
    y,
    inputs,
    (g) => {
      if (isGradEnabled()) {
        // createGraph: the same products as recorded ops, so they are differentiable again.
        const g2 = reshape(g, [M, N]);
        const x2 = reshape(tx, [M, K]);
        return [
          tx._requiresGrad ? reshape(matmul(g2, tw), tx.shape) : null,
          tw._requiresGrad ? matmul(transpose(g2, 0, 1), x2) : null,
          tb?._requiresGrad ? sum(g2, [0]) : null,
        ];
      }
      // Views made here are freed by the engine's scope with the other intermediates.
      const g3 = g._view([1, M, N]);
      const gx = tx._requiresGrad ? bmmRaw(g3, tw._view([1, N, K]), false, false)._view(tx.shape) : null;
      const gw = tw._requiresGrad ? bmmRaw(g3, tx._view([1, M, K]), true, false)._view(tw.shape) : null;
      const gb = tb?._requiresGrad ? reduceRaw('sum', g._view([M, N]), [0], false) : null;
      return [gx, gw, gb];
    },
    [tx, tw],
  );
}
