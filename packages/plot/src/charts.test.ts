import { describe, expect, it } from 'vitest';
import { barChart, decisionBoundary, heatmap, lineChart, renderSvg } from './index.js';

describe('plot', () => {
  it('renders a line chart with its series names and title', async () => {
    const svg = await renderSvg(
      lineChart(
        [
          { name: 'train loss', y: [1, 0.5, 0.25] },
          { name: 'val loss', y: [1.1, 0.6, 0.4] },
        ],
        { title: 'Curves' },
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Curves');
    expect(svg).toContain('train loss');
    expect(svg).toContain('val loss');
  });
  it('renders facets, bars, heatmaps and decision boundaries', async () => {
    const facet = await renderSvg(
      lineChart(
        [
          { name: 'relu/f', y: [0, 1] },
          { name: 'tanh/f', y: [-1, 1] },
        ],
        { facet: true },
      ),
    );
    expect(facet).toContain('relu');
    expect(facet).toContain('tanh');
    expect(
      await renderSvg(
        barChart([
          { label: 'a', value: 1, group: 'g1' },
          { label: 'a', value: 2, group: 'g2' },
        ]),
      ),
    ).toContain('g2');
    const hm = await renderSvg(
      heatmap(
        [
          [5, 1],
          [0, 7],
        ],
        { rowLabels: ['cat', 'dog'] },
      ),
    );
    expect(hm).toContain('dog');
    expect(hm).toContain('>7<');
    const db = await renderSvg(
      decisionBoundary([{ x: 0, y: 0, label: 1 }], [{ x: -1, y: -1, class: 0 }], 1, { title: 'DB' }),
    );
    expect(db).toContain('DB');
  });
});
