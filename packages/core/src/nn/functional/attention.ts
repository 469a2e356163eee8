// Scaled dot-product attention and the mask helpers attention layers share.
import { where } from '../../ops/binary.js';
import { checkTensor } from '../../ops/util.js';
import { arange, full } from '../../tensor/creation.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from './layers.js';

/** Options of {@link scaledDotProductAttention} (PyTorch 2.x's keyword arguments). */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to `[..., L, S]`. A bool mask marks the positions that TAKE PART (true) —
   * PyTorch 2.x semantics, the opposite of `MultiheadAttention`'s bool masks; a float mask
   * is added to the scores (use -Infinity to exclude).
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights; applied whenever > 0 (pass 0 in eval). */
  dropoutP?: number;
  /** Query i attends to keys 0..i only (top-left aligned, as PyTorch); excludes `attnMask`. */
  isCausal?: boolean;
  /** Multiplier of q·kᵀ (default 1/√E). */
  scale?: number | null;
}

/**
 * softmax(q·kᵀ·scale + mask)·v over the last two dims: q `[..., L, E]`, k `[..., S, E]`,
 * v `[..., S, Ev]` → `[..., L, Ev]` (leading dims broadcast). A query row whose keys are all
 * masked out gets zero weights (PyTorch ≥ 2.5's safe softmax) instead of NaN.
 *
 * ```ts
 * const out = F.scaledDotProductAttention(q, k, v, { isCausal: true });
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  opts: ScaledDotProductAttentionOptions = {},
): Tensor {
  const op = 'scaledDotProductAttention';
  checkTensor(op, query, 'query');
  checkTensor(op, key, 'key');
  checkTensor(op, value, 'value');
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2) {
    throw new Error(
      `${op}: query, key and value need at least 2 dims [..., L, E], got ${fmtShape(query.shape)}, ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
    );
  }
  const E = query.shape[query.ndim - 1];
  if (key.shape[key.ndim - 1] !== E) {
    throw new Error(
      `${op}: query ${fmtShape(query.shape)} and key ${fmtShape(key.shape)} differ in the last dim`,
    );
  }
  if (key.shape[key.ndim - 2] !== value.shape[value.ndim - 2]) {
    throw new Error(
      `${op}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} differ in sequence length (dim -2)`,
    );
  }
  const mask = opts.attnMask ?? null;
  if (opts.isCausal && mask !== null) {
    throw new Error(`${op}: give either attnMask or isCausal, not both`);
  }
  const L = query.shape[query.ndim - 2];
  const S = key.shape[key.ndim - 2];
  let additive: Tensor | null = null;
  if (opts.isCausal) additive = boolMaskToAdditive(causalAllowed(L, S, query.device), true);
  else if (mask !== null) additive = mask.dtype === 'bool' ? boolMaskToAdditive(mask, true) : mask;
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  const weights = attentionWeights(query.mul(scale), key, additive);
  const p = opts.dropoutP ?? 0;
  return (p > 0 ? dropout(weights, p) : weights).matmul(value);
}

/**
 * @internal softmax(q·kᵀ + mask) over the last dim (q already scaled); `mask` is additive
 * (0 / -Infinity or any float). Rows that are entirely -Infinity give zeros, not NaN.
 */
export function attentionWeights(q: Tensor, k: Tensor, mask: Tensor | null): Tensor {
  let scores = q.matmul(k.transpose(-2, -1));
  if (mask === null) return scores.softmax(-1);
  scores = scores.add(mask);
  // A row with no finite score would give NaN: softmax a zero row instead and zero the result.
  const empty = scores.detach().amax(-1, true).eq(Number.NEGATIVE_INFINITY);
  return where(empty, 0, where(empty, 0, scores).softmax(-1));
}

/**
 * @internal An additive float mask from a bool one: `allowedWhenTrue` says whether true marks
 * the positions that take part (scaledDotProductAttention) or the ones masked out
 * (MultiheadAttention, key padding masks).
 */
export function boolMaskToAdditive(
  mask: Tensor,
  allowedWhenTrue: boolean,
  dtype: 'float32' | 'float64' = 'float32',
): Tensor {
  const ninf = full([], Number.NEGATIVE_INFINITY, { dtype, device: mask.device });
  const zero = full([], 0, { dtype, device: mask.device });
  return allowedWhenTrue ? where(mask, zero, ninf) : where(mask, ninf, zero);
}

/** @internal Bool `[L, S]`, true where key j <= query i (PyTorch's tril(ones(L, S))). */
export function causalAllowed(L: number, S: number, device?: string): Tensor {
  const rows = arange(0, L, 1, { dtype: 'int32', device }).unsqueeze(1);
  const cols = arange(0, S, 1, { dtype: 'int32', device }).unsqueeze(0);
  return cols.le(rows);
}

/**
 * A float `[n, n]` mask with -Infinity above the diagonal and 0 elsewhere, so position i
 * attends to 0..i (PyTorch's `nn.Transformer.generate_square_subsequent_mask`).
 *
 * ```ts
 * layer.forward(src, { srcMask: generateSquareSubsequentMask(src.shape[0]) });
 * ```
 */
export function generateSquareSubsequentMask(
  n: number,
  opts: { dtype?: 'float32' | 'float64'; device?: string } = {},
): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`generateSquareSubsequentMask: n must be a non-negative integer, got ${n}`);
  return boolMaskToAdditive(causalAllowed(n, n, opts.device), true, opts.dtype ?? 'float32');
}
