import { describe, expect, it } from 'vitest';
import { curvesSvg } from './curves.js';

/** The text of every SVG <text> element. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('curvesSvg', () => {
  it('draws named series with their legend entries and axis titles', async () => {
    const svg = await curvesSvg(
      [
        { name: 'train loss', y: [1, 0.5, 0.25] },
        { name: 'val loss', y: [1.1, 0.6, 0.4] },
      ],
      { title: 'Curves', xTitle: 'epoch', yTitle: 'loss' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    const t = texts(svg);
    for (const s of ['Curves', 'train loss', 'val loss', 'epoch', 'loss']) expect(t).toContain(s);
    // Two lines, and a dot per value of these short series.
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(6);
  });

  it('takes an object of series, defaults the axis titles and skips dots on long series', async () => {
    const svg = await curvesSvg({ loss: Array.from({ length: 40 }, (_, i) => 1 / (i + 1)) });
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['loss', 'step', 'value']));
    expect(svg).not.toContain('aria-roledescription="point"');
  });

  it('draws a log y axis and refuses values it cannot show', async () => {
    const svg = await curvesSvg({ lr: [1, 0.1, 0.01, 0.001] }, { logY: true });
    // Log ticks: decades, not a linear 0.0 … 1.0 ramp.
    expect(texts(svg)).toEqual(expect.arrayContaining(['1', '0.1', '0.01', '0.001']));
    await expect(curvesSvg({ lr: [1, 0] }, { logY: true })).rejects.toThrow(
      "lineChart: logY needs positive values, but series 'lr' has 0 at index 1",
    );
  });

  it('leaves out non-finite values and refuses empty or mismatched input', async () => {
    const svg = await curvesSvg({ loss: [1, Number.NaN, 0.5] });
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(2);
    await expect(curvesSvg([])).rejects.toThrow('curvesSvg: no series given');
    await expect(curvesSvg([{ name: 'a', y: [1, 2], x: [0] }])).rejects.toThrow(
      "lineChart: series 'a' has 2 y values but 1 x values",
    );
  });
});
