// What the plotting callbacks share: record a fit run (batches, epochs, learning rates) and
// draw it; subclasses decide where the pictures go (files in Node, a DOM element in a page).
import { train } from '@proj/core';
import type { LineSeries } from './charts.js';
import { curvesSvg } from './curves.js';
import { historySvg } from './history-chart.js';
import { learningRateSvg } from './learning-rate.js';

/** The charts a plotting callback draws. */
export type PlotName = 'curves' | 'history' | 'lr';

/** Every chart, in the order they are drawn. */
export const PLOT_NAMES: readonly PlotName[] = ['curves', 'history', 'lr'];

/**
 * When a plotting callback redraws: after every batch, after every epoch, or after every
 * `n` batches (a number). Epoch ends and the end of training always redraw.
 */
export type PlotEvery = 'batch' | 'epoch' | number;

/** Options the plotting callbacks share. */
export interface PlotRecorderOptions {
  /** When to redraw (default 'epoch' for files, 'batch' for a live page). */
  every?: PlotEvery;
  /** Which charts to draw (default all: 'curves', 'history', 'lr'). */
  charts?: readonly PlotName[];
  /** A logarithmic y axis on the curves (losses that fall by orders of magnitude). */
  logY?: boolean;
}

/** One recorded batch: its global step (from 1), epoch and batch index, and its logs. */
export interface BatchRecord {
  /** The global step: batches since training began, this one included (from 1). */
  step: number;
  /** The epoch it belongs to (from 0, as `fit` counts). */
  epoch: number;
  /** Its index within the epoch (from 0). */
  batch: number;
  /** A copy of the batch's logs (`loss`, metrics, `batch`, `size`). */
  logs: train.Logs;
}

/** One recorded epoch: its index, the global step it ended at, and its logs. */
export interface EpochRecord {
  /** The epoch's index (from 0, as `fit` counts). */
  epoch: number;
  /** The global step of its last batch (see {@link BatchRecord.step}). */
  step: number;
  /** A copy of the epoch's logs (mean `loss` and metrics, `val_*`, `lr`). */
  logs: train.Logs;
}

const NOT_METRICS = new Set(['batch', 'size', 'epoch', 'lr']);

/** @internal Checks and fills in the shared options; errors name `op`. */
export function resolvePlotOptions(
  op: string,
  opts: PlotRecorderOptions,
  defaultEvery: PlotEvery,
): { every: PlotEvery; charts: PlotName[]; logY: boolean } {
  const every = opts.every ?? defaultEvery;
  const ok = every === 'batch' || every === 'epoch' || (Number.isInteger(every) && (every as number) > 0);
  if (!ok)
    throw new Error(
      `${op}: every must be 'batch', 'epoch' or a positive integer (batches), got ${String(every)}`,
    );
  const charts = [...(opts.charts ?? PLOT_NAMES)];
  for (const c of charts) {
    if (!PLOT_NAMES.includes(c))
      throw new Error(`${op}: unknown chart '${c}'; charts are ${PLOT_NAMES.join(', ')}`);
  }
  if (charts.length === 0)
    throw new Error(`${op}: charts is empty; give at least one of ${PLOT_NAMES.join(', ')}`);
  return { every, charts, logY: opts.logY ?? false };
}

/**
 * A `train.fit` callback that records the run (each batch's loss and metrics, each epoch's
 * logs, the learning rate of every parameter group at each step) and redraws its charts as
 * `every` says: `curves` (loss and metrics per batch, with the epoch values on the same step
 * axis), `history` ({@link historySvg} of the epochs so far) and `lr` (the learning rate per
 * step). Subclasses put the SVGs somewhere by implementing {@link show}: `PlotCallback` (Node,
 * `@proj/plot/node`) writes files, {@link LivePlot} fills a DOM element. Each `fit` run starts
 * a fresh record.
 *
 * @example
 * ```ts
 * // Keep the SVGs of every redraw in memory (e.g. to send them elsewhere).
 * class KeepPlots extends PlotRecorder {
 *   readonly shown: Partial<Record<PlotName, string>>[] = [];
 *   constructor() {
 *     super('KeepPlots', { charts: ['curves', 'lr'] }, 'epoch');
 *   }
 *   protected show(svgs: Partial<Record<PlotName, string>>): void {
 *     this.shown.push(svgs);
 *   }
 * }
 * ```
 */
export abstract class PlotRecorder extends train.Callback {
  /** Every batch so far. */
  readonly batches: BatchRecord[] = [];
  /** Every epoch so far. */
  readonly epochs: EpochRecord[] = [];
  /** The learning rate of each parameter group during each step (read as the step begins). */
  readonly learningRates: {
    /** The global step (see {@link BatchRecord.step}). */
    step: number;
    /** The learning rate of each parameter group, in group order. */
    lrs: number[];
  }[] = [];
  /** When to redraw. */
  readonly every: PlotEvery;
  /** The charts drawn. */
  readonly charts: readonly PlotName[];
  private readonly logY: boolean;
  private epoch = 0;
  private step = 0;
  private pendingLrs: number[] | null = null;
  /** Whether something was recorded since the last redraw. */
  private dirty = false;

  /**
   * For subclasses: `op` names the class in errors, `defaultEvery` is its `every` when the
   * options leave it out.
   *
   * @throws Error if `every` is not 'batch', 'epoch' or a positive integer, or `charts` is
   * empty or names an unknown chart.
   */
  constructor(op: string, opts: PlotRecorderOptions, defaultEvery: PlotEvery) {
    super();
    const o = resolvePlotOptions(op, opts, defaultEvery);
    this.every = o.every;
    this.charts = o.charts;
    this.logY = o.logY;
  }

  /** Puts the freshly drawn charts where they belong (files, a page). */
  protected abstract show(svgs: Partial<Record<PlotName, string>>): Promise<void> | void;

  /** Whether a batch end (the `step`-th) redraws; LivePlot adds a time throttle. */
  protected redrawAfterBatch(step: number): boolean {
    return this.every === 'batch' || (typeof this.every === 'number' && step % this.every === 0);
  }

  /** Starts a fresh record. */
  override onTrainBegin(): void {
    this.batches.length = 0;
    this.epochs.length = 0;
    this.learningRates.length = 0;
    this.step = 0;
    this.dirty = false;
  }

  /** Notes the epoch the next batches belong to. */
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** Reads each parameter group's learning rate for the coming step. */
  override onBatchBegin(): void {
    // Read before the step: fit steps a per-batch scheduler after the optimizer, before onBatchEnd.
    this.pendingLrs = this.optimizer?.paramGroups.map((g) => Number(g.lr)) ?? null;
  }

  /** Records the batch's logs; redraws if `every` says so. */
  override async onBatchEnd(batch: number, logs: train.Logs = {}): Promise<void> {
    this.step++;
    // Kept only now: with data of unknown length, the last onBatchBegin finds no batch.
    if (this.pendingLrs) this.learningRates.push({ step: this.step, lrs: this.pendingLrs });
    this.pendingLrs = null;
    this.batches.push({ step: this.step, epoch: this.epoch, batch, logs: { ...logs } });
    this.dirty = true;
    if (this.redrawAfterBatch(this.step)) await this.redraw();
  }

  /** Records the epoch's logs (validation and `lr` included) and redraws. */
  override async onEpochEnd(epoch: number, logs: train.Logs = {}): Promise<void> {
    this.epochs.push({ epoch, step: this.step, logs: { ...logs } });
    this.dirty = true;
    await this.redraw();
  }

  /** Redraws if anything was recorded since the last redraw. */
  override async onTrainEnd(): Promise<void> {
    if (this.dirty) await this.redraw();
  }

  /** Draws the charts and shows them (also callable by hand, e.g. after a manual loop). */
  async redraw(): Promise<void> {
    this.dirty = false;
    await this.show(await this.draw());
  }

  /** The charts of the run so far, as SVG (a chart with nothing to show yet is left out). */
  async draw(): Promise<Partial<Record<PlotName, string>>> {
    const out: Partial<Record<PlotName, string>> = {};
    for (const name of this.charts) {
      const svg = await this.drawOne(name);
      if (svg !== null) out[name] = svg;
    }
    return out;
  }

  private metricNames(): string[] {
    const names = this.context?.metrics ? [...this.context.metrics] : [];
    for (const r of this.batches) {
      for (const k of Object.keys(r.logs)) if (!NOT_METRICS.has(k) && !names.includes(k)) names.push(k);
    }
    return names;
  }

  private drawOne(name: PlotName): Promise<string> | null {
    if (name === 'curves') {
      if (this.batches.length === 0) return null;
      const series: LineSeries[] = [];
      for (const m of this.metricNames()) {
        const b = this.batches.filter((r) => Number.isFinite(r.logs[m]));
        if (b.length > 0)
          series.push({ name: `${m}/batch`, x: b.map((r) => r.step), y: b.map((r) => r.logs[m]) });
        for (const [key, role] of [
          [m, 'epoch'],
          [`val_${m}`, 'validation'],
        ]) {
          const e = this.epochs.filter((r) => Number.isFinite(r.logs[key]));
          if (e.length > 0) {
            series.push({
              name: `${m}/${role}`,
              x: e.map((r) => r.step),
              y: e.map((r) => r.logs[key]),
              points: true,
            });
          }
        }
      }
      if (series.length === 0) return null;
      return curvesSvg(series, {
        title: 'training curves',
        facet: true,
        integerX: true,
        xTitle: 'step',
        yTitle: '',
        logY: this.logY,
        width: 300,
        height: 200,
      });
    }
    if (name === 'history') {
      if (this.epochs.length === 0) return null;
      const history: Record<string, number[]> = {};
      for (const r of this.epochs) {
        for (const [k, v] of Object.entries(r.logs)) (history[k] ??= []).push(v);
      }
      // Keys missing in some epochs would misalign; keep those every epoch has.
      for (const k of Object.keys(history)) if (history[k].length !== this.epochs.length) delete history[k];
      return historySvg({ history, epochs: this.epochs.map((r) => r.epoch) }, { title: 'per epoch' });
    }
    if (this.learningRates.length === 0) return null;
    const groups = this.learningRates[0].lrs.length;
    const same = this.learningRates.every((r) => r.lrs.every((v) => v === r.lrs[0]));
    const x = this.learningRates.map((r) => r.step);
    const series: LineSeries[] =
      same || groups === 1
        ? [{ name: 'lr', x, y: this.learningRates.map((r) => r.lrs[0]) }]
        : Array.from({ length: groups }, (_, g) => ({
            name: `group ${g}`,
            x,
            y: this.learningRates.map((r) => r.lrs[g] ?? Number.NaN),
          }));
    return learningRateSvg(series);
  }
}
