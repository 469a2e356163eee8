// CosineSimilarity and PairwiseDistance layers (no parameters).
import { bool, int, num, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cosineSimilarity, pairwiseDistance } from '../functional/distance.js';
import { Module } from '../module.js';

// PyTorch's nn.CosineSimilarity(dim=1, eps=1e-8), nn.PairwiseDistance(p=2.0, eps=1e-6, keepdim=False).
const COSINE_SIMILARITY = signature('CosineSimilarity', [opt('dim', int), opt('eps', num)]);
const PAIRWISE_DISTANCE = signature('PairwiseDistance', [
  opt('p', num),
  opt('eps', num),
  opt('keepdim', bool),
]);

/**
 * `torch.nn.CosineSimilarity`: Σ (x1/max(‖x1‖, eps))·(x2/max(‖x2‖, eps)) along `dim` (default 1;
 * eps default 1e-8), as {@link functional.cosineSimilarity}. Inputs `(∗1, D, ∗2)` broadcastable
 * to each other; output `(∗1, ∗2)`.
 *
 * ```ts
 * new nn.CosineSimilarity(1).forward(a, b); // [N, D], [N, D] -> [N]
 * ```
 */
export class CosineSimilarity extends Module {
  /** The dim the similarity is computed along. */
  readonly dim: number;
  /** Lower bound of each norm, to avoid division by zero. */
  readonly eps: number;

  constructor(...rest: PosOrOpts<[dim: number, eps: number], { dim?: number; eps?: number }>) {
    super();
    const o = COSINE_SIMILARITY.parse<{ dim?: number; eps?: number }>(rest);
    this.dim = o.dim ?? 1;
    this.eps = o.eps ?? 1e-8;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

/**
 * `torch.nn.PairwiseDistance`: ‖x1 − x2 + eps‖_p along the last dim (p default 2, eps default
 * 1e-6). Inputs `(N, D)` or `(D)`, broadcastable to each other; output `(N)` or `()`, or with
 * `keepdim` `(N, 1)` or `(1)`.
 *
 * ```ts
 * new nn.PairwiseDistance().forward(a, b); // [N, D], [N, D] -> [N]
 * ```
 */
export class PairwiseDistance extends Module {
  /** The p of the p-norm (PyTorch's constructor takes it as `p` and keeps it as `norm`). */
  readonly norm: number;
  /** Added to the difference to avoid division by zero in the gradient. */
  readonly eps: number;
  /** Keep the reduced last dim (size 1) in the output. */
  readonly keepdim: boolean;

  constructor(
    ...rest: PosOrOpts<
      [p: number, eps: number, keepdim: boolean],
      { p?: number; eps?: number; keepdim?: boolean }
    >
  ) {
    super();
    const o = PAIRWISE_DISTANCE.parse<{ p?: number; eps?: number; keepdim?: boolean }>(rest);
    // PyTorch keeps p as `norm`.
    this.norm = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.keepdim = o.keepdim ?? false;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}
