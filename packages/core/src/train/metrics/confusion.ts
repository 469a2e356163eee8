import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkSameLength, type LabelOptions, predLabels, targetLabels } from './labels.js';

/** How precision, recall and F1 combine the classes (scikit-learn's `average`). */
export type Average = 'macro' | 'micro' | 'weighted' | 'binary';

/** Options of {@link precision}, {@link recall}, {@link f1}. */
export interface AverageOptions extends LabelOptions {
  /**
   * 'binary': the scores of class `posLabel` alone; 'micro': from the total true positives,
   * false positives and false negatives; 'macro': the unweighted mean over classes;
   * 'weighted': the mean weighted by each class's support. Default 'binary' for `[N]` / `[N, 1]`
   * predictions with at most two classes, else 'macro'.
   */
  average?: Average;
  /** The class that 'binary' reports (default 1). */
  posLabel?: number;
  /** The classes to include (default: every label found in targets or predictions, sorted). */
  labels?: readonly number[];
}

/** Per-class scores, as scikit-learn's `precision_recall_fscore_support(average=None)`. */
export interface ClassScores {
  /** The classes, in the order of the other arrays. */
  labels: number[];
  /** Each class's precision: true positives over predicted positives (0 when none were predicted). */
  precision: number[];
  /** Each class's recall: true positives over actual positives (0 when the class has no samples). */
  recall: number[];
  /** Each class's F1, the harmonic mean of its precision and recall (0 when both are 0). */
  f1: number[];
  /** The number of true samples of each class. */
  support: number[];
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b; // scikit-learn's zero_division=0 (it warns; we stay silent)
}

function fScore(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

interface Counts {
  labels: number[];
  tp: number[];
  predicted: number[];
  actual: number[];
  binaryInput: boolean;
}

function count(op: string, pred: Tensor, target: Tensor, opts: AverageOptions): Counts {
  const p = predLabels(op, pred, opts);
  const t = targetLabels(op, target);
  checkSameLength(op, p, t);
  const labels = opts.labels ? [...opts.labels] : [...new Set([...t, ...p])].sort((a, b) => a - b);
  const at = new Map(labels.map((l, i) => [l, i]));
  const tp = new Array(labels.length).fill(0);
  const predicted = new Array(labels.length).fill(0);
  const actual = new Array(labels.length).fill(0);
  for (let i = 0; i < p.length; i++) {
    const ip = at.get(p[i]);
    const it = at.get(t[i]);
    if (ip !== undefined) predicted[ip]++;
    if (it !== undefined) actual[it]++;
    if (ip !== undefined && p[i] === t[i]) tp[ip]++;
  }
  const binaryInput = pred.ndim === 1 || pred.shape[1] === 1;
  return { labels, tp, predicted, actual, binaryInput };
}

/**
 * Precision, recall, F1 and support of each class (scikit-learn's
 * `precision_recall_fscore_support` with `average=None`); a ratio with a zero denominator is 0.
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ.
 */
export function precisionRecallFscoreSupport(
  pred: Tensor,
  target: Tensor,
  opts: Omit<AverageOptions, 'average' | 'posLabel'> = {},
): ClassScores {
  const c = count('precisionRecallFscoreSupport', pred, target, opts);
  const precision = c.tp.map((tp, i) => ratio(tp, c.predicted[i]));
  const recall = c.tp.map((tp, i) => ratio(tp, c.actual[i]));
  return {
    labels: c.labels,
    precision,
    recall,
    f1: precision.map((p, i) => fScore(p, recall[i])),
    support: c.actual,
  };
}

/** Precision, recall and F1 averaged as `average` says. */
export function averagedScores(
  op: string,
  pred: Tensor,
  target: Tensor,
  opts: AverageOptions,
): { precision: number; recall: number; f1: number } {
  const c = count(op, pred, target, opts);
  const average = opts.average ?? (c.binaryInput && c.labels.length <= 2 ? 'binary' : 'macro');
  if (average === 'binary') {
    const pos = opts.posLabel ?? 1;
    if (c.labels.length > 2) {
      throw new Error(
        `${op}: average 'binary' needs two classes but found labels ${c.labels.join(', ')}; choose average 'macro', 'micro' or 'weighted'`,
      );
    }
    const i = c.labels.indexOf(pos);
    const tp = i < 0 ? 0 : c.tp[i];
    const p = ratio(tp, i < 0 ? 0 : c.predicted[i]);
    const r = ratio(tp, i < 0 ? 0 : c.actual[i]);
    return { precision: p, recall: r, f1: fScore(p, r) };
  }
  if (average === 'micro') {
    const tp = c.tp.reduce((a, b) => a + b, 0);
    const p = ratio(
      tp,
      c.predicted.reduce((a, b) => a + b, 0),
    );
    const r = ratio(
      tp,
      c.actual.reduce((a, b) => a + b, 0),
    );
    return { precision: p, recall: r, f1: fScore(p, r) };
  }
  if (average !== 'macro' && average !== 'weighted') {
    throw new Error(`${op}: average must be 'macro', 'micro', 'weighted' or 'binary', got '${average}'`);
  }
  const ps = c.tp.map((tp, i) => ratio(tp, c.predicted[i]));
  const rs = c.tp.map((tp, i) => ratio(tp, c.actual[i]));
  const fs = ps.map((p, i) => fScore(p, rs[i]));
  const total = c.actual.reduce((a, b) => a + b, 0);
  const w =
    average === 'macro' ? c.labels.map(() => 1 / c.labels.length) : c.actual.map((s) => ratio(s, total));
  const mean = (xs: number[]) => xs.reduce((a, x, i) => a + x * w[i], 0);
  return { precision: mean(ps), recall: mean(rs), f1: mean(fs) };
}

/**
 * Precision `tp / (tp + fp)`, averaged as `opts.average` says (scikit-learn's `precision_score`;
 * Keras' `Precision` metric for the binary case). 0 when nothing is predicted positive.
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ; when
 *   `average` is 'binary' with more than two classes, or is unknown.
 *
 * @example
 * ```ts
 * train.metrics.precision(tensor([1, 0, 1, 1]), tensor([1, 0, 0, 1])); // 2/3 (binary)
 * train.metrics.precision(logits, labels, { average: 'macro' }); // [N, C] logits
 * ```
 */
export function precision(pred: Tensor, target: Tensor, opts: AverageOptions = {}): number {
  return averagedScores('precision', pred, target, opts).precision;
}

/**
 * Recall `tp / (tp + fn)`, averaged as `opts.average` says (scikit-learn's `recall_score`;
 * Keras' `Recall` metric for the binary case). 0 for a class without samples.
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ; when
 *   `average` is 'binary' with more than two classes, or is unknown.
 */
export function recall(pred: Tensor, target: Tensor, opts: AverageOptions = {}): number {
  return averagedScores('recall', pred, target, opts).recall;
}

/**
 * F1, the harmonic mean of precision and recall, averaged as `opts.average` says
 * (scikit-learn's `f1_score`; Keras' `F1Score`).
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ; when
 *   `average` is 'binary' with more than two classes, or is unknown.
 */
export function f1(pred: Tensor, target: Tensor, opts: AverageOptions = {}): number {
  return averagedScores('f1', pred, target, opts).f1;
}

/**
 * The int32 `[C, C]` confusion matrix: entry `[i, j]` counts samples of true class `i`
 * predicted as class `j` (rows are true classes, as scikit-learn's). `numClasses` defaults
 * to the prediction's column count, or the largest label + 1. scikit-learn's
 * `confusion_matrix` (with labels `0 … C-1`).
 *
 * @throws Error when predictions are not `[N]`, `[N, 1]` or `[N, C]`, a target label is not a
 *   non-negative integer, `threshold` is outside (0, 1), or the sample counts differ; when a
 *   label is not below `numClasses`.
 *
 * @example
 * ```ts
 * train.metrics.confusionMatrix(tensor([0, 1, 1]), tensor([0, 0, 1])); // [[1, 1], [0, 1]]
 * ```
 */
export function confusionMatrix(
  pred: Tensor,
  target: Tensor,
  numClasses?: number,
  opts: LabelOptions = {},
): Tensor {
  const p = predLabels('confusionMatrix', pred, opts);
  const t = targetLabels('confusionMatrix', target);
  checkSameLength('confusionMatrix', p, t);
  const cols = pred.ndim === 2 && pred.shape[1] > 1 ? pred.shape[1] : 0;
  let maxLabel = -1;
  for (let i = 0; i < p.length; i++) maxLabel = Math.max(maxLabel, p[i], t[i]);
  const c = numClasses ?? Math.max(cols, maxLabel + 1);
  const data = new Int32Array(c * c);
  for (let i = 0; i < p.length; i++) {
    if (t[i] >= c || p[i] >= c) {
      throw new Error(`confusionMatrix: label ${Math.max(t[i], p[i])} is out of range for numClasses ${c}`);
    }
    data[t[i] * c + p[i]]++;
  }
  return fromArray('confusionMatrix', data, [c, c], 'int32', { device: pred.device });
}
