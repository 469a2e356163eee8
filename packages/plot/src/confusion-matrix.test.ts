import { memory, tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { confusionMatrixSvg } from './confusion-matrix.js';

/** The cell texts of a heatmap (its text-mark layer), in order. */
const cells = (svg: string) =>
  [...svg.matchAll(/<text aria-label="[^"]*value[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('confusionMatrixSvg', () => {
  it("draws core's confusionMatrix output with a count in every cell", async () => {
    const before = memory().numTensors;
    const pred = tensor([0, 1, 2, 2, 1, 0, 2], { dtype: 'int64' }); // labels (float [N] would be binary probabilities)
    const target = tensor([0, 1, 2, 1, 1, 2, 2], { dtype: 'int64' });
    const cm = train.metrics.confusionMatrix(pred, target, 3);
    expect(cm.dtype).toBe('int32');
    const svg = await confusionMatrixSvg(cm, ['cat', 'dog', 'bird'], { title: 'test' });
    for (const t of [pred, target, cm]) t.dispose();
    expect(memory().numTensors).toBe(before);
    // Rows are true classes: [[1,0,0],[0,2,1],[1,0,2]].
    expect(cells(svg)).toEqual(['1', '0', '0', '0', '2', '1', '1', '0', '2']);
    const t = texts(svg);
    for (const s of ['test', 'cat', 'dog', 'bird', 'true', 'predicted']) expect(t).toContain(s);
  });

  it('takes nested numbers, default labels and normalised rates', async () => {
    const m = [
      [8, 2],
      [1, 3],
    ];
    const svg = await confusionMatrixSvg(m);
    expect(cells(svg)).toEqual(['8', '2', '1', '3']);
    expect(texts(svg)).toEqual(expect.arrayContaining(['0', '1']));
    expect(cells(await confusionMatrixSvg(m, undefined, { normalize: 'true' }))).toEqual([
      '0.80',
      '0.20',
      '0.25',
      '0.75',
    ]);
    expect(cells(await confusionMatrixSvg(m, undefined, { normalize: 'pred' }))).toEqual([
      '0.89',
      '0.40',
      '0.11',
      '0.60',
    ]);
    expect(cells(await confusionMatrixSvg(m, undefined, { normalize: 'all', digits: 3 }))).toEqual([
      '0.571',
      '0.143',
      '0.071',
      '0.214',
    ]);
  });

  it('refuses what is not a confusion matrix', async () => {
    const t = tensor([[1, 2, 3]]);
    await expect(confusionMatrixSvg(t)).rejects.toThrow(
      'confusionMatrixSvg: the matrix must be square [C, C], got shape [1, 3]',
    );
    t.dispose();
    await expect(confusionMatrixSvg([[1, 2], [3]])).rejects.toThrow('got rows of lengths 2, 1');
    await expect(
      confusionMatrixSvg([
        [1, -1],
        [0, 1],
      ]),
    ).rejects.toThrow('entries must be finite and >= 0, got -1 at [0, 1]');
    await expect(confusionMatrixSvg([[1]], ['a', 'b'])).rejects.toThrow('got 2 labels for 1 classes');
    await expect(
      confusionMatrixSvg(
        [
          [1, 0],
          [0, 1],
        ],
        ['a', 'a'],
      ),
    ).rejects.toThrow('labels must be distinct');
  });
});
