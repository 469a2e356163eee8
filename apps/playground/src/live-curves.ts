// The live training charts: loss and accuracy per batch, drawn by @proj/plot (Vega-Lite → SVG)
// into the page. Drawing takes tens of milliseconds, so redraws are spaced out while training.

/**
 * @proj/plot with Vega (~1 MB of JavaScript) loads at the first chart, in a chunk of its own:
 * the page starts without it.
 */
let plot: Promise<typeof import('@proj/plot')> | undefined;

/** Rolling mean over the last `w` values (fewer at the start). */
export function movingAverage(values: readonly number[], w: number): number[] {
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= w) sum -= values[i - w];
    out.push(sum / Math.min(i + 1, w));
  });
  return out;
}

/** Options of {@link LiveCurve}. */
export interface LiveCurveOptions {
  /** The series' name and the chart's title (e.g. 'loss'). */
  name: string;
  /** Batches averaged by the smooth line (default 10). */
  window?: number;
  /** Fewest milliseconds between redraws while values arrive (default 250). */
  minIntervalMs?: number;
}

/**
 * One per-batch series and its moving average, drawn into `element` with `@proj/plot`'s
 * `curvesSvg`. `push` redraws when `minIntervalMs` has passed since the last redraw; `flush`
 * redraws now (the end of a run). Redraws never overlap; the last values always get drawn.
 */
export class LiveCurve {
  private readonly values: number[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private drawing: Promise<void> | null = null;
  private dirty = false;
  /** Bumped by clear(): a redraw begun before it must not show the old values after it. */
  private generation = 0;
  /** Completed redraws (the test hook reports them). */
  redraws = 0;

  constructor(
    readonly element: HTMLElement,
    private readonly opts: LiveCurveOptions,
  ) {}

  /** The values pushed so far. */
  get data(): readonly number[] {
    return this.values;
  }

  push(v: number): void {
    this.values.push(v);
    this.dirty = true;
    if (performance.now() - this.last >= (this.opts.minIntervalMs ?? 250)) void this.flush();
  }

  clear(): void {
    this.values.length = 0;
    this.dirty = false;
    this.generation++;
    this.element.replaceChildren();
  }

  /** Draws the current values (after any redraw in progress); resolves when drawn. */
  async flush(): Promise<void> {
    while (this.drawing) await this.drawing;
    if (!this.dirty) return;
    this.dirty = false;
    this.last = performance.now();
    this.drawing = this.draw();
    try {
      await this.drawing;
    } finally {
      this.drawing = null;
    }
  }

  private async draw(): Promise<void> {
    const { name, window = 10 } = this.opts;
    if (this.values.length === 0) return;
    const generation = this.generation;
    plot ??= import('@proj/plot');
    const { curvesSvg } = await plot;
    const svg = await curvesSvg(
      { [name]: this.values, [`mean of ${window}`]: movingAverage(this.values, window) },
      { xTitle: 'batch', yTitle: name, title: `${name} per batch`, width: 320, height: 120 },
    );
    if (generation !== this.generation) return;
    this.element.innerHTML = svg;
    this.redraws++;
  }
}
