// Live training charts in a web page: the plotting callback that redraws into a DOM element.
import { type PlotName, PlotRecorder, type PlotRecorderOptions } from './plot-recorder.js';

/**
 * Where {@link LivePlot} draws: any DOM element (a `<div>`), or anything with an `innerHTML`
 * to assign (which keeps tests free of a DOM).
 */
export interface PlotTarget {
  /** Set to the charts' markup at each redraw. */
  innerHTML: string;
}

/** Options of {@link LivePlot}. */
export interface LivePlotOptions extends PlotRecorderOptions {
  /**
   * Redraw after a batch only when this many milliseconds have passed since the last redraw
   * (default 250): drawing takes milliseconds per chart, a batch may take less. Epoch ends and
   * the end of training always redraw. 0 redraws as often as `every` says.
   */
  minIntervalMs?: number;
}

/**
 * A `train.fit` callback that shows the training charts live in a page: after each batch (or
 * as `every` says) it redraws them as SVG into `element`, one `<div class="proj-plot-<name>">`
 * per chart ('curves', 'history', 'lr'). `fit` gives the page a frame between batches, so the
 * charts update while training runs. Works in any browser; no Node module is imported.
 *
 * @example
 * ```ts
 * import { LivePlot } from '@proj/plot';
 * await train.fit(model, { train, val, epochs: 5, loss, optimizer, metrics: ['accuracy'],
 *   callbacks: [new LivePlot(document.getElementById('charts')!, { every: 'batch' })] });
 * ```
 */
export class LivePlot extends PlotRecorder {
  /** The element drawn into. */
  readonly element: PlotTarget;
  /** See {@link LivePlotOptions.minIntervalMs}. */
  readonly minIntervalMs: number;
  /** How many times the element was redrawn. */
  redraws = 0;
  private last = Number.NEGATIVE_INFINITY;

  /**
   * Draws into `element` (nothing is drawn before training starts).
   *
   * @throws Error if `element` has no `innerHTML`, `minIntervalMs` is negative or not finite,
   * `every` is not 'batch', 'epoch' or a positive integer, or `charts` is empty or names an
   * unknown chart.
   */
  constructor(element: PlotTarget, options: LivePlotOptions = {}) {
    super('LivePlot', options, 'batch');
    if (element === null || typeof element !== 'object' || !('innerHTML' in element)) {
      throw new Error(
        `LivePlot: element must be a DOM element (something with innerHTML), got ${String(element)}`,
      );
    }
    const ms = options.minIntervalMs ?? 250;
    if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`LivePlot: minIntervalMs must be >= 0, got ${ms}`);
    this.element = element;
    this.minIntervalMs = ms;
  }

  /** `every`, and the time throttle. */
  protected override redrawAfterBatch(step: number): boolean {
    return super.redrawAfterBatch(step) && performance.now() - this.last >= this.minIntervalMs;
  }

  /** Replaces the element's content with the charts. */
  protected override show(svgs: Partial<Record<PlotName, string>>): void {
    this.element.innerHTML = Object.entries(svgs)
      .map(([name, svg]) => `<div class="proj-plot-${name}">${svg}</div>`)
      .join('');
    this.redraws++;
    this.last = performance.now();
  }
}
