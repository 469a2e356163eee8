// Distances and normalisation along a dim: cosineSimilarity, pairwiseDistance, normalize, as
// composites whose values and gradients are PyTorch 1.13's. The p-norms are linalg.vectorNorm's
// (PyTorch's norm_backward, zeros masked); cosineSimilarity's clamped norm is its own (below).
import { where } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { maskedPow } from '../../ops/masked-pow.js';
import { vectorNorm } from '../../ops/norms.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  num,
  opt,
  type PosOrOpts,
  req,
  signature,
  unsupported,
} from '../../signature/signature.js';
import { isFloat } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// cosine_similarity and pairwise_distance are C++ builtins (documented cosine_similarity(x1, x2,
// dim=1, eps=1e-8), pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)); normalize is
// Python (inspect.signature).
const COSINE_SIMILARITY = signature('F.cosineSimilarity', [
  req('x1', any),
  req('x2', any),
  opt('dim', int),
  opt('eps', num),
]);
const PAIRWISE_DISTANCE = signature('F.pairwiseDistance', [
  req('x1', any),
  req('x2', any),
  opt('p', num),
  opt('eps', num),
  opt('keepdim', bool),
]);
const NORMALIZE = signature('F.normalize', [
  req('input', any),
  opt('p', num),
  opt('dim', int),
  opt('eps', num),
  unsupported('out', 'use the returned tensor'),
]);

/** The two operands in their common float dtype (PyTorch's result_type, which must be floating). */
function floatPair(op: string, x1: Tensor, x2: Tensor): [Tensor, Tensor] {
  checkTensor(op, x1, 'x1');
  checkTensor(op, x2, 'x2');
  checkSameDevice(op, x1, x2);
  const f1 = isFloat(x1.dtype);
  const f2 = isFloat(x2.dtype);
  if (!f1 && !f2) {
    throw new Error(
      `${op}: expected the common dtype to be floating point, got ${x1.dtype} and ${x2.dtype} (use .float())`,
    );
  }
  return [f1 ? x1 : cast(x1, x2.dtype), f2 ? x2 : cast(x2, x1.dtype)];
}

/**
 * The 2-norm along `dim` (kept), clamped below at `eps` the way PyTorch's cosine_similarity does
 * it: the value is max(‖x‖, eps), and the gradient is that of ‖x‖ computed as x / max(‖x‖, eps)
 * (PyTorch clamps the norm in place under no_grad, so its backward divides by the clamped value).
 */
function clampedNorm2(x: Tensor, dim: number, eps: number): Tensor {
  const s = x.mul(x).sum(dim, true);
  const norm = maskedPow(s, 0.5);
  if (!(eps > 0)) return norm;
  const big = norm.detach().ge(eps);
  // At or below eps: the value eps, the derivative x/eps ((s − s̄)/(2·eps) is 0 with derivative x/eps).
  return where(
    big,
    norm,
    s
      .sub(s.detach())
      .div(2 * eps)
      .add(eps),
  );
}

function normDim(op: string, dim: number, ndim: number, shape: readonly number[]): number {
  if (dim < -Math.max(ndim, 1) || dim >= Math.max(ndim, 1))
    throw new Error(`${op}: dim ${dim} is out of range for shape ${fmt(shape)}`);
  return dim < 0 ? dim + ndim : dim;
}

/**
 * Cosine similarity of x1 and x2 (broadcast together) along `dim`:
 * Σ (x1/max(‖x1‖, eps)) · (x2/max(‖x2‖, eps)), as PyTorch 1.13 computes it (each operand
 * normalised first, which keeps the result in [−1, 1]).
 *
 * ```ts
 * F.cosineSimilarity(a, b, 1); // a, b [N, D] -> [N]
 * ```
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  ...rest: PosOrOpts<[dim: number, eps: number], { dim?: number; eps?: number }>
): Tensor {
  const a = COSINE_SIMILARITY.parse<{ x1: Tensor; x2: Tensor; dim?: number; eps?: number }>([
    x1,
    x2,
    ...rest,
  ]);
  const op = 'cosineSimilarity';
  let [u, v] = floatPair(op, a.x1, a.x2);
  const shape = broadcastShapes(op, u.shape, v.shape);
  const dim = normDim(op, a.dim ?? 1, shape.length, shape);
  if (shape.length === 0)
    throw new Error(`${op}: expected inputs with at least 1 dim, got ${fmt(u.shape)} and ${fmt(v.shape)}`);
  u = u.expand(shape);
  v = v.expand(shape);
  const eps = a.eps ?? 1e-8;
  return u
    .div(clampedNorm2(u, dim, eps))
    .mul(v.div(clampedNorm2(v, dim, eps)))
    .sum(dim);
}

/**
 * ‖x1 − x2 + eps‖_p along the last dim (of the broadcast shape), as PyTorch's
 * pairwise_distance.
 *
 * ```ts
 * F.pairwiseDistance(a, b); // a, b [N, D] -> [N]
 * ```
 */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  ...rest: PosOrOpts<
    [p: number, eps: number, keepdim: boolean],
    { p?: number; eps?: number; keepdim?: boolean }
  >
): Tensor {
  const a = PAIRWISE_DISTANCE.parse<{ x1: Tensor; x2: Tensor; p?: number; eps?: number; keepdim?: boolean }>([
    x1,
    x2,
    ...rest,
  ]);
  const op = 'pairwiseDistance';
  const [u, v] = floatPair(op, a.x1, a.x2);
  const ndim = Math.max(u.ndim, v.ndim);
  if (ndim === 0)
    throw new Error(`${op}: expected inputs with at least 1 dim, got ${fmt(u.shape)} and ${fmt(v.shape)}`);
  return vectorNorm(u.sub(v).add(a.eps ?? 1e-6), a.p ?? 2, ndim - 1, a.keepdim ?? false);
}

/**
 * x / max(‖x‖_p, eps) along `dim` (default p = 2, dim = 1): unit vectors, zero vectors left 0.
 *
 * ```ts
 * F.normalize(emb, 2, -1); // rows of unit length
 * ```
 */
export function normalize(
  input: Tensor,
  ...rest: PosOrOpts<[p: number, dim: number, eps: number], { p?: number; dim?: number; eps?: number }>
): Tensor {
  const a = NORMALIZE.parse<{ input: Tensor; p?: number; dim?: number; eps?: number }>([input, ...rest]);
  const op = 'normalize';
  const x = checkTensor(op, a.input);
  if (!isFloat(x.dtype))
    throw new Error(`${op}: expected a floating point tensor, got ${x.dtype} ${fmt(x.shape)} (use .float())`);
  const dim = normDim(op, a.dim ?? 1, x.ndim, x.shape);
  const denom = vectorNorm(x, a.p ?? 2, dim, true).clamp(a.eps ?? 1e-12);
  return x.div(denom);
}
