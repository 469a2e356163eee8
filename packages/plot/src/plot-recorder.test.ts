import { describe, expect, it } from 'vitest';
import { type PlotName, PlotRecorder, type PlotRecorderOptions } from './plot-recorder.js';
import { tinyFit } from './test-support/tiny-fit.js';

/** Keeps what it is shown. */
class Recorder extends PlotRecorder {
  shown: Partial<Record<PlotName, string>>[] = [];
  constructor(opts: PlotRecorderOptions = {}) {
    super('Recorder', opts, 'epoch');
  }
  protected show(svgs: Partial<Record<PlotName, string>>): void {
    this.shown.push(svgs);
  }
}

describe('PlotRecorder', () => {
  it('records every batch, epoch and the learning rate each step ran with', async () => {
    const r = new Recorder();
    const { history, stepLrs, leaked } = await tinyFit([r], 2);
    expect(leaked).toBe(0);
    expect(r.batches.map((b) => [b.step, b.epoch, b.batch])).toEqual([
      [1, 0, 0],
      [2, 0, 1],
      [3, 0, 2],
      [4, 1, 0],
      [5, 1, 1],
      [6, 1, 2],
    ]);
    expect(r.batches.map((b) => b.logs.loss)).toEqual(history.batches.map((b) => b.loss));
    expect(r.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [0, 3],
      [1, 6],
    ]);
    expect(r.epochs[1].logs.val_accuracy).toBe(history.history.val_accuracy[1]);
    // ExponentialLR(0.5) stepped per batch: step k ran with 0.1 * 0.5^(k-1).
    expect(r.learningRates.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [i, l] of r.learningRates.entries()) expect(l.lrs[0]).toBeCloseTo(stepLrs[i], 12);
  });

  it('draws after each epoch by default: curves per batch and epoch, history, lr', async () => {
    const r = new Recorder();
    await tinyFit([r], 2);
    expect(r.shown).toHaveLength(2); // the end of training adds nothing new
    const last = r.shown[1];
    expect(Object.keys(last)).toEqual(['curves', 'history', 'lr']);
    const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts(last.curves as string)).toEqual(
      expect.arrayContaining(['training curves', 'loss', 'accuracy', 'batch', 'epoch', 'validation', 'step']),
    );
    expect(texts(last.history as string)).toEqual(
      expect.arrayContaining(['per epoch', 'train', 'validation']),
    );
    expect(texts(last.lr as string)).toEqual(expect.arrayContaining(['learning rate', 'step']));
    // Batch series: 6 values; epoch and validation: 2 each, per metric panel.
    expect((last.curves as string).match(/aria-roledescription="line mark"/g)).toHaveLength(6);
  });

  it('redraws as every says, only the charts asked for', async () => {
    const perBatch = new Recorder({ every: 'batch', charts: ['lr'] });
    await tinyFit([perBatch], 2);
    expect(perBatch.shown).toHaveLength(6 + 2); // each batch, each epoch end
    expect(perBatch.shown.every((s) => Object.keys(s).join() === 'lr')).toBe(true);
    const everyTwo = new Recorder({ every: 2, charts: ['curves'] });
    await tinyFit([everyTwo], 2);
    expect(everyTwo.shown).toHaveLength(3 + 2); // steps 2, 4, 6 and the epoch ends
  });

  it('refuses bad options, naming the callback', () => {
    expect(() => new Recorder({ every: 0 })).toThrow(
      "Recorder: every must be 'batch', 'epoch' or a positive integer (batches), got 0",
    );
    expect(() => new Recorder({ every: 'step' as 'batch' })).toThrow('got step');
    expect(() => new Recorder({ charts: ['loss' as PlotName] })).toThrow(
      "Recorder: unknown chart 'loss'; charts are curves, history, lr",
    );
    expect(() => new Recorder({ charts: [] })).toThrow('Recorder: charts is empty');
  });
});
