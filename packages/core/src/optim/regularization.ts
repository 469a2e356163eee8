import { add } from '../ops/binary.js';
import type { Tensor } from '../tensor/tensor.js';

function penalty(
  name: string,
  params: Iterable<Tensor>,
  lambda: number,
  term: (p: Tensor) => Tensor,
): Tensor {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) {
    throw new Error(`${name}: lambda must be a finite number >= 0 (got ${lambda})`);
  }
  let total: Tensor | null = null;
  for (const p of params) {
    const t = term(p);
    total = total === null ? t : add(total, t);
  }
  if (total === null) throw new Error(`${name}: got an empty parameter list`);
  return total.mul(lambda);
}

/**
 * `lambda * Σ|w|` over `params` (lambda defaults to 0.01, as in Keras): a differentiable scalar to add to a loss (Keras'
 * `kernel_regularizer=l1(lambda)`); it pushes weights to exactly zero, unlike weight decay.
 *
 * ```ts
 * const loss = lossFn.forward(model.forward(x), y).add(optim.l1Penalty(model.parameters(), 1e-4));
 * ```
 */
export function l1Penalty(params: Iterable<Tensor>, lambda = 0.01): Tensor {
  return penalty('l1Penalty', params, lambda, (p) => p.abs().sum());
}

/**
 * `lambda * Σw²` over `params` (sum of squares, no ½; lambda defaults to 0.01, as in Keras): a differentiable scalar to add to a loss
 * (Keras' `kernel_regularizer=l2(lambda)`). Its gradient is `2 * lambda * w`, so with plain
 * SGD it equals the optimizer's `weightDecay = 2 * lambda` (for Adam it does not equal AdamW's
 * decoupled decay: it passes through the adaptive scaling like `Adam({weightDecay})` does).
 *
 * ```ts
 * const loss = lossFn.forward(model.forward(x), y).add(optim.l2Penalty(model.parameters(), 5e-4)); // ≈ SGD weightDecay 1e-3
 * ```
 */
export function l2Penalty(params: Iterable<Tensor>, lambda = 0.01): Tensor {
  return penalty('l2Penalty', params, lambda, (p) => p.mul(p).sum());
}
