import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { isFloat } from '../tensor/dtype.js';
import { isHalf } from '../tensor/half.js';
import { broadcastShapes, fmtShape, sizeOf } from '../tensor/shape.js';
import { isContiguousGeometry } from '../tensor/strides.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryRaw } from './binary.js';
import { reduceRaw } from './reduce.js';
import { permute, reshape, transpose } from './shape.js';
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
  if (isHalf(a.dtype)) {
    // the composite in float32, rounded once: PyTorch accumulates half products in float32
    const f32 = (t: Tensor): Tensor => wrap(t, t._backend.cast(t, 'float32'), t.shape, 'float32');
    const y = bmmRaw(f32(a), f32(b), transA, transB);
    return wrap(y, y._backend.cast(y, a.dtype), shape, a.dtype);
  }
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
    throw new Error(
      `matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  checkMatmulDtypes('matmul', a, b);
  const ta = a;
  const tb = b;
  // Matrix views of 1-D operands; the op is recorded against ta/tb, so plain views suffice.
  const aShape = ta.ndim === 1 ? [1, ta.shape[0]] : ta.shape;
  const bShape = tb.ndim === 1 ? [tb.shape[0], 1] : tb.shape;
  const K = aShape[aShape.length - 1];
  if (bShape[bShape.length - 2] !== K) {
    throw new Error(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${K} != ${bShape[bShape.length - 2]})`,
    );
  }
  const M = aShape[aShape.length - 2];
  const N = bShape[bShape.length - 1];
  const batch = broadcastShapes('matmul', aShape.slice(0, -2), bShape.slice(0, -2));
  const B = sizeOf(batch);
  const y3 = withOperands(ta, aShape, tb, bShape, batch, B, M, K, N, (a3, b3, tA, tB) =>
    bmmRaw(a3, b3, tA, tB),
  );
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
      // Under createGraph the same products as recorded ops (differentiable again); otherwise
      // the raw batched kernel with transpose flags (no copies).
      if (isGradEnabled()) {
        const g2 = reshape(g, [...batch, M, N]);
        return [
          ta._requiresGrad
            ? reshape(unbroadcast(matmul(g2, transpose(reshape(tb, bShape), -1, -2)), aShape), ta.shape)
            : null,
          tb._requiresGrad
            ? reshape(unbroadcast(matmul(transpose(reshape(ta, aShape), -1, -2), g2), bShape), tb.shape)
            : null,
        ];
      }
      const g3 = reshape(g, [B, M, N]);
      // dA = dY @ B^T and dB = A^T @ dY, summed over any batch dims that were broadcast.
      // An operand stored transposed (tA/tB) is already the transpose these products need.
      return withOperands(ta, aShape, tb, bShape, batch, B, M, K, N, (a3, b3, tA, tB) => [
        ta._requiresGrad
          ? unbroadcast(reshape(bmmRaw(g3, b3, false, !tB), [...batch, M, K]), aShape)._view(ta.shape)
          : null,
        tb._requiresGrad
          ? unbroadcast(reshape(bmmRaw(a3, g3, !tA, false), [...batch, K, N]), bShape)._view(tb.shape)
          : null,
      ]);
    },
    [ta, tb],
  );
}

/** Runs `fn` on [B|1, rows, cols] views of both operands, then frees the views. */
function withOperands<T>(
  ta: Tensor,
  aShape: readonly number[],
  tb: Tensor,
  bShape: readonly number[],
  batch: readonly number[],
  B: number,
  M: number,
  K: number,
  N: number,
  fn: (a3: Tensor, b3: Tensor, transA: boolean, transB: boolean) => T,
): T {
  const [a3, tA] = to3d(ta, aShape, batch, B, M, K);
  const [b3, tB] = to3d(tb, bShape, batch, B, K, N);
  try {
    return fn(a3, b3, tA, tB);
  } finally {
    a3.dispose();
    b3.dispose();
  }
}

/**
 * Views/expands an operand as [B or 1, rows, cols] for bmmRaw, or, for a transposed view of a
 * dense matrix (`w.t()`, `x.mT`), as its storage's [B or 1, cols, rows] with the transpose
 * flag set: the kernel reads it transposed, no copy is made.
 */
function to3d(
  x: Tensor,
  shape: readonly number[],
  batch: readonly number[],
  B: number,
  rows: number,
  cols: number,
): [Tensor, boolean] {
  const own = sizeOf(shape.slice(0, -2));
  if ((own === B || own === 1) && isDenseTransposed(x)) {
    return [new Tensor(x._storage, [own, cols, rows], x.dtype), true];
  }
  return [to3dCopy(x, shape, batch, B, own, rows, cols), false];
}

/** Whether swapping `x`'s last two dims gives its whole storage in row-major order. */
function isDenseTransposed(x: Tensor): boolean {
  const n = x.ndim;
  if (x._dense || n < 2 || x._offset !== 0 || x._backend.matmul === undefined) return false;
  const shape = [...x.shape];
  const strides = [...x._strides];
  [shape[n - 2], shape[n - 1]] = [shape[n - 1], shape[n - 2]];
  [strides[n - 2], strides[n - 1]] = [strides[n - 1], strides[n - 2]];
  return x.numel() === x._storageNumel() && isContiguousGeometry(shape, strides);
}

function to3dCopy(
  x: Tensor,
  shape: readonly number[],
  batch: readonly number[],
  B: number,
  own: number,
  rows: number,
  cols: number,
): Tensor {
  if (own === B || own === 1) return x._view([own, rows, cols]);
  // Same rank as the target for the expand primitive: leading batch dims of size 1.
  const v = x._view([...new Array(batch.length + 2 - shape.length).fill(1), ...shape]);
  const e = wrap(x, x._backend.expand(v, [...batch, rows, cols]), [...batch, rows, cols], x.dtype);
  v.dispose();
  const out = e._view([B, rows, cols]);
  e.dispose();
  return out;
}

/**
 * PyTorch refuses to mix dtypes in a product (no silent promotion of float64 or bool); integer
 * products are refused too, since they would have to round through float32.
 */
export function checkMatmulDtypes(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new Error(
      `${op}: expected both operands to have the same dtype, but got ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)} (cast one with .to())`,
    );
  }
  if (!isFloat(a.dtype)) {
    throw new Error(
      `${op}: not implemented for ${a.dtype} tensors (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}); use .float()`,
    );
  }
}
