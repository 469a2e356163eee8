// A confusion matrix as a picture: counts (or rates) in a heatmap, rows the true classes.
import { Tensor } from '@proj/core';
import { heatmap } from './charts.js';
import { renderSvg } from './render.js';
import type { ChartOptions } from './style.js';

/** Options of {@link confusionMatrixSvg}. */
export interface ConfusionMatrixOptions extends ChartOptions {
  /**
   * Show rates instead of counts, as scikit-learn's `confusion_matrix(normalize=…)`: `'true'`
   * divides each row by its total (recall on the diagonal), `'pred'` each column (precision),
   * `'all'` everything by the sample count. A row or column without samples stays 0.
   */
  normalize?: 'true' | 'pred' | 'all';
  /** Decimals written in the cells (default 0 for counts, 2 for rates). */
  digits?: number;
}

function normalized(m: number[][], how: 'true' | 'pred' | 'all'): number[][] {
  const c = m.length;
  const rows = m.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = m[0].map((_, j) => m.reduce((a, r) => a + r[j], 0));
  const all = rows.reduce((a, b) => a + b, 0);
  const div = (v: number, d: number) => (d === 0 ? 0 : v / d);
  return Array.from({ length: c }, (_, i) =>
    m[i].map((v, j) => div(v, how === 'true' ? rows[i] : how === 'pred' ? cols[j] : all)),
  );
}

/**
 * A confusion matrix as SVG: a `[C, C]` matrix whose entry `[i, j]` counts samples of true
 * class `i` predicted as `j` (what core's `train.metrics.confusionMatrix` returns, an int32
 * tensor, or nested numbers), drawn as a heatmap with the value in every cell; rows are true
 * classes, columns predicted ones. `labels` names the classes (default 0 … C-1).
 *
 * @throws Error if the matrix is not square, is empty or holds an entry that is negative or
 * not finite, or if `labels` are not C distinct names.
 *
 * @example
 * ```ts
 * const cm = train.metrics.confusionMatrix(model.forward(x), y, 10);
 * const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
 * const svg = await confusionMatrixSvg(cm, names, { normalize: 'true' });
 * cm.dispose();
 * ```
 */
export async function confusionMatrixSvg(
  matrix: Tensor | readonly (readonly number[])[],
  labels?: readonly string[],
  options: ConfusionMatrixOptions = {},
): Promise<string> {
  const op = 'confusionMatrixSvg';
  let m: number[][];
  if (matrix instanceof Tensor) {
    if (matrix.ndim !== 2 || matrix.shape[0] !== matrix.shape[1]) {
      throw new Error(`${op}: the matrix must be square [C, C], got shape [${matrix.shape.join(', ')}]`);
    }
    m = (await matrix.toArrayAsync()) as number[][];
  } else {
    m = matrix.map((r) => [...r]);
    if (m.some((r) => r.length !== m.length)) {
      throw new Error(
        `${op}: the matrix must be square [C, C], got rows of lengths ${m.map((r) => r.length).join(', ')}`,
      );
    }
  }
  const c = m.length;
  if (c === 0) throw new Error(`${op}: the matrix is empty`);
  for (const [i, r] of m.entries()) {
    const j = r.findIndex((v) => !(Number.isFinite(v) && v >= 0));
    if (j >= 0) throw new Error(`${op}: entries must be finite and >= 0, got ${r[j]} at [${i}, ${j}]`);
  }
  const names = labels ? [...labels] : m.map((_, i) => String(i));
  if (names.length !== c) throw new Error(`${op}: got ${names.length} labels for ${c} classes`);
  if (new Set(names).size !== c) throw new Error(`${op}: labels must be distinct, got ${names.join(', ')}`);
  const values = options.normalize ? normalized(m, options.normalize) : m;
  const cell = c > 12 ? 22 : 30;
  return renderSvg(
    heatmap(values, {
      title: options.title,
      width: options.width ?? Math.max(c * cell, 120),
      height: options.height ?? Math.max(c * cell, 120),
      rowLabels: names,
      colLabels: names,
      rowTitle: 'true',
      colTitle: 'predicted',
      valueTitle: options.normalize ? 'rate' : 'count',
      digits: options.digits ?? (options.normalize ? 2 : 0),
    }),
  );
}
