// fit's History as a picture: one panel per metric, train and validation per epoch.
import type { train } from '@proj/core';
import { type LineSeries, lineChart } from './charts.js';
import { renderSvg } from './render.js';
import type { ChartOptions } from './style.js';

/**
 * What {@link historySvg} reads: core's `train.History`, or any object with its `history`
 * (per-epoch values by log key) and optionally `epochs` (the epoch indices, from 0).
 */
export type HistoryInput =
  | train.History
  | {
      /** Per-epoch values by log key (`loss`, `val_loss`, `accuracy`, …). */
      readonly history: Readonly<Record<string, readonly number[]>>;
      /** The epoch indices, from 0 (default 0, 1, …; ignored unless one per value). */
      readonly epochs?: readonly number[];
    };

/** Log keys that are not metrics: the learning rate has its own chart. */
const NOT_METRICS = new Set(['lr', 'epoch', 'batch', 'size']);

/**
 * @internal The panels of a history, loss first: `panel/train` and `panel/validation` series per metric,
 * over epochs counted from 1 (as fit prints them).
 */
export function historySeries(input: HistoryInput): LineSeries[] {
  const h = input.history;
  const names: string[] = [];
  for (const key of Object.keys(h)) {
    const name = key.startsWith('val_') ? key.slice(4) : key;
    if (!NOT_METRICS.has(name) && !names.includes(name)) names.push(name);
  }
  names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const series: LineSeries[] = [];
  for (const name of names) {
    for (const [key, role] of [
      [name, 'train'],
      [`val_${name}`, 'validation'],
    ]) {
      const y = h[key];
      if (!y) continue;
      const epochs = input.epochs && input.epochs.length === y.length ? input.epochs : y.map((_, i) => i);
      series.push({ name: `${name}/${role}`, y, x: epochs.map((e) => e + 1), points: true });
    }
  }
  return series;
}

/**
 * The loss and every metric of a `train.fit` run per epoch, one panel each (loss first), with
 * the training and validation values (`loss` and `val_loss`, …) as two lines. The learning
 * rate (`lr`) is left to {@link learningRateSvg}.
 *
 * @throws Error if the history holds no metric (only `lr`, `epoch`, `batch`, `size`, or nothing).
 *
 * @example
 * ```ts
 * const history = await train.fit(model, { train, val, epochs: 5, loss, optimizer, metrics: ['accuracy'] });
 * await writePlot('out/history.svg', await historySvg(history));
 * ```
 */
export async function historySvg(history: HistoryInput, options: ChartOptions = {}): Promise<string> {
  const series = historySeries(history);
  if (series.length === 0) {
    throw new Error(
      `historySvg: the history holds no metrics (keys: ${Object.keys(history.history).join(', ') || 'none'})`,
    );
  }
  return renderSvg(
    lineChart(series, {
      width: 300,
      height: 200,
      ...options,
      xTitle: 'epoch',
      yTitle: '',
      facet: true,
      integerX: true,
    }),
  );
}
