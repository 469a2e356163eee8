// The learning rate over a run: per step, per epoch, or per parameter group.
import { type LineSeries, lineChart } from './charts.js';
import { type CurvesInput, toSeries } from './curves.js';
import type { HistoryInput } from './history-chart.js';
import { renderSvg } from './render.js';
import type { ChartOptions } from './style.js';

/**
 * Learning rates for {@link learningRateSvg}: one value per step, named series (one per
 * parameter group), or a fit History (its per-epoch `lr`).
 */
export type LearningRateInput = readonly number[] | CurvesInput | HistoryInput;

/** Options of {@link learningRateSvg}. */
export interface LearningRateOptions extends ChartOptions {
  /** A logarithmic y axis (schedules that decay by factors). */
  logY?: boolean;
  /** The x axis title (default 'step', or 'epoch' for a History). */
  xTitle?: string;
}

function isHistory(x: LearningRateInput): x is HistoryInput {
  return typeof x === 'object' && !Array.isArray(x) && 'history' in x && typeof x.history === 'object';
}

/**
 * The learning rate as SVG: an array gives one value per step, named series one line per
 * parameter group, and a `train.fit` History its `lr` per epoch (counted from 1).
 *
 * @throws Error if a History has no `lr`, or no learning rate is given at all.
 *
 * @example
 * ```ts
 * const lrs = [];
 * for (let i = 0; i < 100; i++) { lrs.push(scheduler.getLastLr()[0]); optimizer.step(); scheduler.step(); }
 * const svg = await learningRateSvg(lrs, { logY: true });
 * ```
 */
export async function learningRateSvg(
  lr: LearningRateInput,
  options: LearningRateOptions = {},
): Promise<string> {
  let series: LineSeries[];
  let xTitle = 'step';
  if (isHistory(lr)) {
    const y = lr.history.lr;
    if (!y) {
      throw new Error(
        `learningRateSvg: the history has no 'lr' (keys: ${Object.keys(lr.history).join(', ') || 'none'})`,
      );
    }
    const epochs = lr.epochs && lr.epochs.length === y.length ? lr.epochs : y.map((_, i) => i);
    series = [{ name: 'lr', y, x: epochs.map((e) => e + 1) }];
    xTitle = 'epoch';
  } else if (Array.isArray(lr) && lr.every((v) => typeof v === 'number')) {
    series = [{ name: 'lr', y: lr as readonly number[] }];
  } else {
    series = toSeries(lr as CurvesInput);
  }
  if (series.length === 0 || series.every((s) => s.y.length === 0)) {
    throw new Error('learningRateSvg: no learning rates given');
  }
  return renderSvg(
    lineChart(series, {
      title: 'learning rate',
      ...options,
      xTitle: options.xTitle ?? xTitle,
      yTitle: 'learning rate',
      integerX: true, // steps and epochs
    }),
  );
}
