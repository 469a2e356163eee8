import { record } from '../autograd/node.js';
import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryRaw } from './binary.js';
import { cast } from './convert.js';
import { reduceRaw } from './reduce.js';
import { expand, permute, reshape } from './shape.js';
import { unbroadcast } from './unbroadcast.js';
import { checkSameDevice, checkTensor, wrap } from './util.js';

/**
 * Batched product of 3-D tensors [Ba, M, K] @ [Bb, K, N] (Ba, Bb equal or 1; transposed
 * operands given as [B, K, M] / [B, N, K]) through the backend's fused kernel or, without
 * one, the composite broadcast-multiply-and-sum. Not recorded.
 */
export function bmmRaw(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const M = transA ? a.shape[2] : a.shape[1];
  const N = transB ? b.shape[1] : b.shape[2];
  const B = Math.max(a.shape[0], b.shape[0]);
  const shape = [B, M, N];
  const backend = a._backend;
  if (backend.matmul) return wrap(a, backend.matmul(a, b, transA, transB), shape, a.dtype);
  const A = transA ? permute(a, 0, 2, 1) : a; // [Ba, M, K]
  const Bm = transB ? b : permute(b, 0, 2, 1); // [Bb, N, K]
  const K = A.shape[2];
  const prod = binaryRaw('mul', reshape(A, [A.shape[0], M, 1, K]), reshape(Bm, [Bm.shape[0], 1, N, K]));
  return reshape(reduceRaw('sum', prod, [3], false), shape);
}

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D operand is
 * promoted to a matrix and the added dim removed, leading dims broadcast as batches.
 *
 * ```ts
 * x.matmul(w.t()) // [batch, in] @ [in, out]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a);
  checkTensor('matmul', b);
  checkSameDevice('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) dtype = 'float32';
  const ta = a.dtype === dtype ? a : cast(a, dtype);
  const tb = b.dtype === dtype ? b : cast(b, dtype);
  const a2 = ta.ndim === 1 ? reshape(ta, [1, ta.shape[0]]) : ta;
  const b2 = tb.ndim === 1 ? reshape(tb, [tb.shape[0], 1]) : tb;
  const K = a2.shape[a2.ndim - 1];
  if (b2.shape[b2.ndim - 2] !== K) {
    throw new Error(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${K} != ${b2.shape[b2.ndim - 2]})`,
    );
  }
  const M = a2.shape[a2.ndim - 2];
  const N = b2.shape[b2.ndim - 1];
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const B = sizeOf(batch);
  const a3 = to3d(a2, batch, B, M, K);
  const b3 = to3d(b2, batch, B, K, N);
  const y3 = bmmRaw(a3, b3);
  let outShape = [...batch, M, N];
  if (ta.ndim === 1) outShape = outShape.filter((_, i) => i !== outShape.length - 2);
  if (tb.ndim === 1) outShape = outShape.slice(0, -1);
  const y = y3._view(outShape);
  y3.dispose();
  return record(
    'MmBackward',
    y,
    [ta, tb],
    (g) => {
      const g3 = reshape(g, [B, M, N]);
      // dA = dY @ B^T and dB = A^T @ dY, summed over any batch dims that were broadcast.
      const ga = ta._requiresGrad
        ? unbroadcast(reshape(bmmRaw(g3, b3, false, true), [...batch, M, K]), a2.shape)._view(ta.shape)
        : null;
      const gb = tb._requiresGrad
        ? unbroadcast(reshape(bmmRaw(a3, g3, true, false), [...batch, K, N]), b2.shape)._view(tb.shape)
        : null;
      return [ga, gb];
    },
    [ta, tb],
  );
}

/** Views/expands an operand as [B or 1, rows, cols] for bmmRaw. */
function to3d(x: Tensor, batch: readonly number[], B: number, rows: number, cols: number): Tensor {
  const own = sizeOf(x.shape.slice(0, -2));
  if (own === B || own === 1) return x._view([own, rows, cols]);
  return reshape(expand(x, [...batch, rows, cols]), [B, rows, cols]);
}
