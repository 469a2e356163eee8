// The training charts as files: the plotting callback for Node.
import { resolve } from 'node:path';
import { type PlotName, PlotRecorder, type PlotRecorderOptions } from '../plot-recorder.js';
import { loadResvg } from './resvg.js';
import type { SvgToPngOptions } from './svg-to-png.js';
import { writePlot } from './write-plot.js';

/** A file format {@link PlotCallback} writes. */
export type PlotFormat = 'svg' | 'png';

/** Options of {@link PlotCallback}. */
export interface PlotCallbackOptions extends PlotRecorderOptions {
  /** The folder the charts go to (created if missing). */
  dir: string;
  /** The formats to write (default ['svg']; 'png' needs @resvg/resvg-js). */
  formats?: readonly PlotFormat[];
  /** PNG rendering: scale (default 2) and fonts, as {@link svgToPng} takes them. */
  png?: SvgToPngOptions;
}

/**
 * A `train.fit` callback that writes the training charts to files as training runs:
 * `<dir>/curves.svg` (loss and metrics per batch, with the epoch and validation values),
 * `<dir>/history.svg` (per epoch, train and validation) and `<dir>/lr.svg` (the learning rate
 * per step), and the same as `.png` with `formats: ['svg', 'png']`. By default it redraws after
 * every epoch (`every: 'batch'` or a number of batches for more often; each redraw takes tens
 * of milliseconds) and at the end; files are replaced atomically, so an image viewer can watch
 * them. A missing @resvg/resvg-js fails at the start of training, not after the first epoch.
 *
 * @example
 * ```ts
 * import { PlotCallback } from '@proj/plot/node';
 * await train.fit(model, { train, val, epochs: 5, loss, optimizer, metrics: ['accuracy'],
 *   callbacks: [new PlotCallback({ dir: 'out/run1', formats: ['svg', 'png'] })] });
 * ```
 */
export class PlotCallback extends PlotRecorder {
  /** The folder written to (absolute). */
  readonly dir: string;
  /** The formats written. */
  readonly formats: readonly PlotFormat[];
  /** Every path written so far (each once, in order of first writing). */
  readonly files: string[] = [];
  private readonly png: SvgToPngOptions;

  /**
   * Checks the options; nothing is written until the first redraw.
   *
   * @throws Error if `dir` is missing or empty, `formats` is empty or names a format other than
   * 'svg' and 'png', `every` is not 'batch', 'epoch' or a positive integer, or `charts` is
   * empty or names an unknown chart.
   */
  constructor(options: PlotCallbackOptions) {
    super('PlotCallback', options ?? ({} as PlotCallbackOptions), 'epoch');
    if (!options || typeof options.dir !== 'string' || options.dir === '') {
      throw new Error('PlotCallback: options.dir (the folder to write the charts to) is required');
    }
    const formats = [...(options.formats ?? ['svg'])];
    for (const f of formats) {
      if (f !== 'svg' && f !== 'png')
        throw new Error(`PlotCallback: formats are 'svg' and 'png', got '${f}'`);
    }
    if (formats.length === 0) throw new Error("PlotCallback: formats is empty; give 'svg', 'png' or both");
    this.dir = resolve(options.dir);
    this.formats = formats;
    this.png = { scale: 2, ...options.png };
  }

  /** Starts a fresh record and, for PNG output, loads @resvg/resvg-js (failing now if it is missing). */
  override async onTrainBegin(): Promise<void> {
    super.onTrainBegin();
    if (this.formats.includes('png')) await loadResvg();
  }

  /** Writes each chart in each format. */
  protected override async show(svgs: Partial<Record<PlotName, string>>): Promise<void> {
    for (const [name, svg] of Object.entries(svgs)) {
      for (const format of this.formats) {
        const path = await writePlot(resolve(this.dir, `${name}.${format}`), svg, this.png);
        if (!this.files.includes(path)) this.files.push(path);
      }
    }
  }
}
