import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How a classification metric reads predictions. */
export interface LabelOptions {
  /**
   * Probability threshold for binary predictions (default 0.5). Logits are compared with
   * the same threshold's logit, `log(t / (1 - t))` (0 for 0.5).
   */
  threshold?: number;
  /**
   * Whether binary predictions are logits. Default: guessed, logits when any value lies
   * outside [0, 1]; pass it explicitly when a logit batch could happen to stay inside [0, 1].
   */
  logits?: boolean;
}

/** Reads any tensor as plain numbers (float64). */
export function values(t: Tensor): Float64Array {
  const raw = t.dataSync();
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i]);
  return out;
}

/** The sample count and class count of a `[N]`, `[N, 1]` or `[N, C]` tensor. */
function rows(op: string, t: Tensor, what: string): { n: number; c: number } {
  if (t.ndim === 1) return { n: t.shape[0], c: 1 };
  if (t.ndim === 2) return { n: t.shape[0], c: t.shape[1] };
  throw new Error(`${op}: ${what} must have shape [N], [N, 1] or [N, C], got ${fmtShape(t.shape)}`);
}

/** Row-wise argmax of an `[n, c]` row-major array (first maximum wins, as PyTorch's argmax). */
function argmaxRows(v: Float64Array, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (v[i * c + j] > v[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** True class labels: indices `[N]` / `[N, 1]`, or one-hot / probability rows `[N, C]` (argmax). */
export function targetLabels(op: string, target: Tensor): Int32Array {
  const { n, c } = rows(op, target, 'target');
  const v = values(target);
  if (c > 1) return argmaxRows(v, n, c);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0) {
      throw new Error(`${op}: target labels must be non-negative integers, got ${v[i]} at index ${i}`);
    }
    out[i] = v[i];
  }
  return out;
}

/**
 * Predicted class labels: integer tensors are labels already; `[N, C]` scores (logits or
 * probabilities) give their argmax; `[N]` / `[N, 1]` floating scores are binary and are
 * thresholded.
 */
export function predLabels(op: string, pred: Tensor, opts: LabelOptions = {}): Int32Array {
  const { n, c } = rows(op, pred, 'predictions');
  const v = values(pred);
  if (c > 1) return argmaxRows(v, n, c);
  if (pred.dtype === 'int32' || pred.dtype === 'int64' || pred.dtype === 'uint8' || pred.dtype === 'bool')
    return Int32Array.from(v);
  const t = opts.threshold ?? 0.5;
  if (!(t > 0 && t < 1)) throw new Error(`${op}: threshold must lie in (0, 1), got ${t}`);
  const logits = opts.logits ?? v.some((x) => x < 0 || x > 1);
  const cut = logits ? Math.log(t / (1 - t)) : t;
  // Keras' binary_accuracy: a prediction above the threshold is class 1.
  return Int32Array.from(v, (x) => (x > cut ? 1 : 0));
}

/** Checks that predictions and targets hold the same number of samples. */
export function checkSameLength(op: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new Error(`${op}: predictions hold ${a.length} samples but targets hold ${b.length}`);
  }
}
