import { describe, expect, it } from 'vitest';
import { LivePlot } from './live-plot.js';
import { tinyFit } from './test-support/tiny-fit.js';

describe('LivePlot', () => {
  it('redraws the charts into an element as training runs', async () => {
    const element = { innerHTML: '' };
    const seen: string[] = [];
    // Watch each assignment, as a page would show it.
    const watched = {
      get innerHTML() {
        return element.innerHTML;
      },
      set innerHTML(v: string) {
        element.innerHTML = v;
        seen.push(v);
      },
    };
    const live = new LivePlot(watched, { every: 'batch', minIntervalMs: 0 });
    const { leaked } = await tinyFit([live], 2);
    expect(leaked).toBe(0);
    expect(live.redraws).toBe(8); // 6 batches + 2 epoch ends
    expect(seen).toHaveLength(8);
    // After the first batch: curves and lr (no epoch has ended, so no history yet).
    expect(seen[0].match(/<div class="proj-plot-(\w+)">/g)).toEqual([
      '<div class="proj-plot-curves">',
      '<div class="proj-plot-lr">',
    ]);
    const last = element.innerHTML;
    expect(last.match(/<div class="proj-plot-(\w+)"><svg/g)).toHaveLength(3);
    expect(last).toContain('<div class="proj-plot-history"><svg');
    expect(last.match(/<\/svg><\/div>/g)).toHaveLength(3);
  });

  it('throttles batch redraws by time and defaults to every batch', async () => {
    const el = { innerHTML: '' };
    const live = new LivePlot(el, { minIntervalMs: 60_000 });
    expect(live.every).toBe('batch');
    await tinyFit([live], 2);
    // The first batch draws; later batches fall within the minute; epoch ends always draw.
    expect(live.redraws).toBe(1 + 2);
  });

  it('refuses what it cannot draw into', () => {
    expect(() => new LivePlot(null as never)).toThrow(
      'LivePlot: element must be a DOM element (something with innerHTML), got null',
    );
    expect(() => new LivePlot({ innerHTML: '' }, { minIntervalMs: -1 })).toThrow(
      'LivePlot: minIntervalMs must be >= 0, got -1',
    );
    expect(() => new LivePlot({ innerHTML: '' }, { every: 1.5 })).toThrow('LivePlot: every must be');
  });
});
