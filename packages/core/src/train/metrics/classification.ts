import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkSameLength, type LabelOptions, predLabels, targetLabels, values } from './labels.js';

/**
 * The fraction of correct predictions (Keras' `accuracy` metric, scikit-learn's
 * `accuracy_score`). Binary when `pred` is `[N]` or `[N, 1]` (probabilities,
 * or logits, cut at `threshold`); multiclass when `pred` is `[N, C]` (argmax of logits or
 * probabilities); integer predictions are labels. Targets are class indices or one-hot rows.
 * An empty batch scores 0.
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ.
 *
 * @example
 * ```ts
 * train.metrics.accuracy(tensor([[2, 1], [0, 3]]), tensor([0, 0])); // 0.5
 * ```
 */
export function accuracy(pred: Tensor, target: Tensor, opts: LabelOptions = {}): number {
  const p = predLabels('accuracy', pred, opts);
  const t = targetLabels('accuracy', target);
  checkSameLength('accuracy', p, t);
  if (p.length === 0) return 0;
  let hit = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === t[i]) hit++;
  return hit / p.length;
}

/**
 * The fraction of samples whose true class is among the `k` highest scores of `pred` `[N, C]`
 * (a class counts as in the top k when fewer than k classes score strictly higher; Keras'
 * `sparse_top_k_categorical_accuracy`, default k = 5 as there).
 *
 * @throws Error when `pred` is not 2-D, `k` is not a positive integer, a target label is not a
 *   non-negative integer or not below C, or the sample counts differ.
 *
 * @example
 * ```ts
 * train.metrics.topKAccuracy(logits, labels, 3); // the top-3 accuracy
 * ```
 */
export function topKAccuracy(pred: Tensor, target: Tensor, k = 5): number {
  if (pred.ndim !== 2)
    throw new Error(`topKAccuracy: predictions must have shape [N, C], got ${fmtShape(pred.shape)}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`topKAccuracy: k must be a positive integer, got ${k}`);
  const [n, c] = pred.shape;
  const t = targetLabels('topKAccuracy', target);
  checkSameLength('topKAccuracy', { length: n }, t);
  const v = values(pred);
  let hit = 0;
  for (let i = 0; i < n; i++) {
    if (t[i] >= c) throw new Error(`topKAccuracy: target class ${t[i]} is out of range for ${c} classes`);
    const s = v[i * c + t[i]];
    let higher = 0;
    for (let j = 0; j < c; j++) if (v[i * c + j] > s) higher++;
    if (higher < k) hit++;
  }
  return n === 0 ? 0 : hit / n;
}
