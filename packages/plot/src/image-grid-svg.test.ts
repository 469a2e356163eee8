import { memory, tensor } from '@proj/core';
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { imageGridSvg } from './image-grid-svg.js';
import { decodePng, pixelAt } from './test-support/decode-png.js';

const images = (svg: string) => [...svg.matchAll(/<image [^>]*>/g)].map((m) => m[0]);
const attr = (el: string, name: string) => el.match(new RegExp(` ${name}="([^"]*)"`))?.[1];

describe('imageGridSvg', () => {
  it('lays out N images, nrow to a row, each an embedded PNG with its caption', async () => {
    const before = memory().numTensors;
    // Five 2 x 3 gray images; image i has value i / 4 everywhere.
    const x = tensor(
      Array.from({ length: 5 }, (_, i) => [Array.from({ length: 2 }, () => [i / 4, i / 4, i / 4])]),
    );
    const labels = ['a0', 'b1', 'c2', 'd3', 'e4'];
    const svg = await imageGridSvg(x, { labels, nrow: 2, scale: 10, padding: 5, title: 'grid' });
    x.dispose();
    expect(memory().numTensors).toBe(before);
    const els = images(svg);
    expect(els).toHaveLength(5);
    // 2 per row: columns at 0 and 35 (30 + 5), rows 20 + 14 (caption) + 5 apart.
    expect(els.map((e) => attr(e, 'transform'))).toEqual([
      'translate(0,0)',
      'translate(35,0)',
      'translate(0,39)',
      'translate(35,39)',
      'translate(0,78)',
    ]);
    expect(els.every((e) => attr(e, 'width') === '30' && attr(e, 'height') === '20')).toBe(true);
    expect(els[0]).toContain('image-rendering: pixelated'); // crisp pixels when scaled
    for (const l of [...labels, 'grid']) expect(svg).toContain(`>${l}</text>`);
    // The embedded PNG of image 2 holds its pixels: 2 / 4 → 128.
    const url = attr(els[2], 'xlink:href') as string;
    const png = decodePng(Buffer.from(url.replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height]).toEqual([3, 2]);
    expect(pixelAt(png, 2, 1)).toEqual([128, 128, 128, 255]);
  });

  it('draws RGB images and no captions without labels', async () => {
    const red = [[[1]], [[0]], [[0]]]; // [3, 1, 1]
    const svg = await imageGridSvg([red, red, red]);
    expect(images(svg)).toHaveLength(3);
    expect(svg).not.toContain('<text');
    const png = decodePng(
      Buffer.from((attr(images(svg)[0], 'xlink:href') as string).split(',')[1], 'base64'),
    );
    expect(pixelAt(png, 0, 0)).toEqual([255, 0, 0, 255]);
  });

  it('refuses mismatched labels and bad layout options', async () => {
    const one = [[[0]]];
    await expect(imageGridSvg([one, one], { labels: ['x'] })).rejects.toThrow(
      'imageGridSvg: got 1 labels for 2 images',
    );
    await expect(imageGridSvg([one], { nrow: 0 })).rejects.toThrow(
      'imageGridSvg: nrow must be a positive integer, got 0',
    );
    await expect(imageGridSvg([one], { scale: -1 })).rejects.toThrow(
      'imageGridSvg: scale must be a positive number, got -1',
    );
  });
});
