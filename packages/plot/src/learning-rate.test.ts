import { describe, expect, it } from 'vitest';
import { learningRateSvg } from './learning-rate.js';

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('learningRateSvg', () => {
  it('draws one value per step', async () => {
    const svg = await learningRateSvg(
      Array.from({ length: 50 }, (_, i) => 0.1 * 0.9 ** i),
      { logY: true },
    );
    expect(texts(svg)).toEqual(expect.arrayContaining(['learning rate', 'step', 'lr']));
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(1);
  });

  it('draws one line per parameter group', async () => {
    const svg = await learningRateSvg({ backbone: [0.01, 0.005], head: [0.1, 0.05] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['backbone', 'head']));
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
  });

  it("draws a History's lr per epoch and says when there is none", async () => {
    const svg = await learningRateSvg({ history: { loss: [1, 0.5], lr: [0.1, 0.01] }, epochs: [0, 1] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['epoch', '1', '2']));
    await expect(learningRateSvg({ history: { loss: [1] } })).rejects.toThrow(
      "learningRateSvg: the history has no 'lr' (keys: loss)",
    );
    await expect(learningRateSvg([])).rejects.toThrow('learningRateSvg: no learning rates given');
  });
});
