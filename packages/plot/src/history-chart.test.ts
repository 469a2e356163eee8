import { describe, expect, it } from 'vitest';
import { historySeries, historySvg } from './history-chart.js';
import { tinyFit } from './test-support/tiny-fit.js';

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('historySvg', () => {
  it("draws a real fit History: one panel per metric, loss first, train and validation, no 'lr'", async () => {
    const { history, leaked } = await tinyFit([], 3);
    expect(leaked).toBe(0);
    expect(Object.keys(history.history).sort()).toEqual([
      'accuracy',
      'loss',
      'lr',
      'val_accuracy',
      'val_loss',
    ]);
    const series = historySeries(history);
    expect(series.map((s) => s.name)).toEqual([
      'loss/train',
      'loss/validation',
      'accuracy/train',
      'accuracy/validation',
    ]);
    expect(series[1].y).toEqual(history.history.val_loss);
    expect(series[0].x).toEqual([1, 2, 3]); // epochs counted from 1, as fit prints them
    const svg = await historySvg(history, { title: 'run' });
    const t = texts(svg);
    for (const s of ['run', 'loss', 'accuracy', 'train', 'validation', 'epoch']) expect(t).toContain(s);
    expect(t).not.toContain('lr');
    // Panel headers in order: loss before accuracy.
    expect(t.indexOf('loss')).toBeLessThan(t.indexOf('accuracy'));
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(4);
  });

  it('takes a plain history object and draws validation-only metrics', async () => {
    const svg = await historySvg({ history: { val_f1: [0.5, 0.7] } });
    expect(texts(svg)).toEqual(expect.arrayContaining(['f1', 'validation']));
    await expect(historySvg({ history: { lr: [0.1] } })).rejects.toThrow(
      'historySvg: the history holds no metrics (keys: lr)',
    );
  });
});
