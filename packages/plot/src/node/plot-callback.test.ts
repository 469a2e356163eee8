import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { darkPixels, decodePng } from '../test-support/decode-png.js';
import { tinyFit } from '../test-support/tiny-fit.js';
import { PlotCallback } from './plot-callback.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plot-cb-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PlotCallback', () => {
  it('writes curves, history and lr as SVG and PNG while fit runs', async () => {
    const out = join(dir, 'run');
    const cb = new PlotCallback({ dir: out, formats: ['svg', 'png'] });
    const { leaked } = await tinyFit([cb], 2);
    expect(leaked).toBe(0);
    const names = ['curves', 'history', 'lr'].flatMap((n) => [`${n}.svg`, `${n}.png`]);
    expect((await readdir(out)).sort()).toEqual([...names].sort());
    expect(cb.files).toEqual(names.map((n) => join(out, n)));
    const curves = await readFile(join(out, 'curves.svg'), 'utf8');
    for (const s of ['>loss<', '>accuracy<', '>batch<', '>validation<']) expect(curves).toContain(s);
    for (const n of ['curves', 'history', 'lr']) {
      const png = decodePng(await readFile(join(out, `${n}.png`)));
      const svg = await readFile(join(out, `${n}.svg`), 'utf8');
      expect(png.width).toBe(2 * Number(svg.match(/width="(\d+)"/)?.[1])); // default PNG scale 2
      expect(darkPixels(png)).toBeGreaterThan(500); // titles, axes, labels drawn
    }
  });

  it('writes SVG only by default', async () => {
    await tinyFit([new PlotCallback({ dir, charts: ['history'] })], 1);
    expect(await readdir(dir)).toEqual(['history.svg']);
  });

  it('refuses bad options', () => {
    expect(() => new PlotCallback({} as never)).toThrow(
      'PlotCallback: options.dir (the folder to write the charts to) is required',
    );
    expect(() => new PlotCallback({ dir, formats: ['jpg' as 'png'] })).toThrow(
      "PlotCallback: formats are 'svg' and 'png', got 'jpg'",
    );
    expect(() => new PlotCallback({ dir, formats: [] })).toThrow('PlotCallback: formats is empty');
    expect(() => new PlotCallback({ dir, every: -2 })).toThrow('PlotCallback: every must be');
  });
});
