import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { values } from './labels.js';

/** Reads `pred` and `target` as `[N, K]` columns; `[N]` and `[N, 1]` pair up. */
function columns(op: string, pred: Tensor, target: Tensor): { p: Float64Array; t: Float64Array; k: number } {
  const squeeze = (s: readonly number[]) => (s.length === 2 && s[1] === 1 ? [s[0]] : [...s]);
  const a = squeeze(pred.shape);
  const b = squeeze(target.shape);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(
      `${op}: predictions ${fmtShape(pred.shape)} and targets ${fmtShape(target.shape)} must have the same shape`,
    );
  }
  const n = a.length === 0 ? 1 : a[0];
  const k = n === 0 ? 1 : pred.numel() / n;
  return { p: values(pred), t: values(target), k };
}

function meanOf(op: string, pred: Tensor, target: Tensor, f: (d: number) => number): number {
  const { p, t } = columns(op, pred, target);
  if (p.length === 0) throw new Error(`${op}: got no samples`);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += f(p[i] - t[i]);
  return s / p.length;
}

/**
 * Mean absolute error over every element (Keras' `mae` metric, scikit-learn's
 * `mean_absolute_error` averaged over outputs).
 *
 * @throws Error when the shapes differ (`[N]` and `[N, 1]` pair up) or there are no samples.
 */
export function mae(pred: Tensor, target: Tensor): number {
  return meanOf('mae', pred, target, Math.abs);
}

/**
 * Mean squared error over every element (Keras' `mse` metric, scikit-learn's
 * `mean_squared_error` averaged over outputs).
 *
 * @throws Error when the shapes differ (`[N]` and `[N, 1]` pair up) or there are no samples.
 */
export function mse(pred: Tensor, target: Tensor): number {
  return meanOf('mse', pred, target, (d) => d * d);
}

/**
 * Root mean squared error: the square root of {@link mse} (Keras' `RootMeanSquaredError`).
 *
 * @throws Error when the shapes differ (`[N]` and `[N, 1]` pair up) or there are no samples.
 */
export function rmse(pred: Tensor, target: Tensor): number {
  return Math.sqrt(meanOf('rmse', pred, target, (d) => d * d));
}

/**
 * The coefficient of determination `1 - SS_res / SS_tot` (scikit-learn's `r2_score`); for
 * several outputs, the mean of each column's score. A constant target scores 1 when
 * predicted exactly, else 0.
 *
 * @throws Error when the shapes differ (`[N]` and `[N, 1]` pair up) or there are fewer than
 *   two samples.
 *
 * @example
 * ```ts
 * train.metrics.r2(tensor([2.5, 0, 2, 8]), tensor([3, -0.5, 2, 7])); // 0.9486…
 * ```
 */
export function r2(pred: Tensor, target: Tensor): number {
  const { p, t, k } = columns('r2', pred, target);
  const n = p.length / k;
  if (n < 2) throw new Error(`r2: needs at least two samples, got ${n}`);
  let total = 0;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += t[i * k + j];
    mean /= n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      res += (t[i * k + j] - p[i * k + j]) ** 2;
      tot += (t[i * k + j] - mean) ** 2;
    }
    total += tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
  }
  return total / k;
}
