import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { curvesSvg } from '../curves.js';
import { decodePng } from '../test-support/decode-png.js';
import { writePlot } from './write-plot.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plot-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePlot', () => {
  it('writes SVG or PNG by extension, into new folders, leaving no temporary file', async () => {
    const svg = await curvesSvg({ loss: [1, 0.5] });
    const a = join(dir, 'sub', 'deeper', 'loss.svg');
    expect(await writePlot(a, svg)).toBe(a);
    expect(await readFile(a, 'utf8')).toBe(svg);
    const b = join(dir, 'sub', 'LOSS.PNG');
    await writePlot(b, svg, { scale: 2 });
    const png = decodePng(await readFile(b));
    expect(png.width).toBe(2 * Number(svg.match(/width="(\d+)"/)?.[1]));
    expect((await readdir(join(dir, 'sub'))).sort()).toEqual(['LOSS.PNG', 'deeper']);
  });

  it('replaces an existing file whole', async () => {
    const p = join(dir, 'c.svg');
    await writePlot(p, await curvesSvg({ a: [1, 2] }));
    const second = await curvesSvg({ b: [3, 4] });
    await writePlot(p, second);
    expect(await readFile(p, 'utf8')).toBe(second);
  });

  it('refuses a path whose format it cannot tell, and leaves the old file when rendering fails', async () => {
    await expect(writePlot(join(dir, 'x.jpg'), '<svg/>')).rejects.toThrow(
      `writePlot: cannot tell the format of '${join(dir, 'x.jpg')}': the path must end in .svg or .png`,
    );
    const p = join(dir, 'keep.png');
    await writePlot(p, await curvesSvg({ a: [1, 2] }));
    const before = await readFile(p);
    await expect(writePlot(p, 'not svg')).rejects.toThrow('svgToPng: expected SVG text');
    expect(await readFile(p)).toEqual(before);
    expect(await readdir(dir)).toEqual(['keep.png']);
  });
});
