import type { Tensor } from '../../tensor/tensor.js';
import { formatFixed } from '../format.js';
import { averagedScores, precisionRecallFscoreSupport } from './confusion.js';
import type { LabelOptions } from './labels.js';

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions extends LabelOptions {
  /** Display names of the classes, in label order (default the labels as numbers). */
  targetNames?: readonly string[];
  /** Decimals of the scores (default 2). */
  digits?: number;
  /** The classes to report (default every label found in targets or predictions). */
  labels?: readonly number[];
}

/**
 * A text report of precision, recall, F1 and support per class with the accuracy, macro
 * and weighted averages, laid out exactly as scikit-learn's `classification_report`.
 *
 * ```text
 *               precision    recall  f1-score   support
 *
 *            0       0.50      1.00      0.67         1
 *            1       0.00      0.00      0.00         1
 * ...
 * ```
 */
export function classificationReport(
  pred: Tensor,
  target: Tensor,
  opts: ClassificationReportOptions = {},
): string {
  const digits = opts.digits ?? 2;
  const scores = precisionRecallFscoreSupport(pred, target, opts);
  const found = precisionRecallFscoreSupport(pred, target, {
    threshold: opts.threshold,
    logits: opts.logits,
  }).labels;
  const names = opts.targetNames ? [...opts.targetNames] : scores.labels.map(String);
  if (names.length !== scores.labels.length) {
    throw new Error(
      `classificationReport: ${names.length} targetNames given for ${scores.labels.length} classes (${scores.labels.join(', ')})`,
    );
  }
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const num = (x: number) => formatFixed(x, digits).padStart(9);
  const row = (name: string, p: number, r: number, f: number, s: number) =>
    `${name.padStart(width)}  ${num(p)} ${num(r)} ${num(f)} ${String(s).padStart(9)}\n`;
  let out = `${''.padStart(width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => h.padStart(9)).join(' ')}\n\n`;
  scores.labels.forEach((_, i) => {
    out += row(names[i], scores.precision[i], scores.recall[i], scores.f1[i], scores.support[i]);
  });
  out += '\n';
  const total = scores.support.reduce((a, b) => a + b, 0);
  const base = { threshold: opts.threshold, logits: opts.logits, labels: scores.labels };
  // scikit-learn prints the micro average as "accuracy" when it covers every label present.
  const microIsAccuracy = found.every((l) => scores.labels.includes(l));
  for (const average of ['micro', 'macro', 'weighted'] as const) {
    const a = averagedScores('classificationReport', pred, target, { ...base, average });
    if (average === 'micro' && microIsAccuracy) {
      out += `${'accuracy'.padStart(width)}  ${''.padStart(9)} ${''.padStart(9)} ${num(a.f1)} ${String(total).padStart(9)}\n`;
    } else {
      out += row(`${average} avg`, a.precision, a.recall, a.f1, total);
    }
  }
  return out;
}
