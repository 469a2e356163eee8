import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { curvesSvg } from '../curves.js';
import { darkPixels, decodePng, pixelAt } from '../test-support/decode-png.js';
import { importResvg } from './resvg.js';
import { svgToPng } from './svg-to-png.js';

const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** A white 120 x 40 SVG with a word in black at the left and a red bar at the right. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="white"/><text x="4" y="28" font-size="20" font-family="sans-serif">Hi</text><rect x="80" y="10" width="30" height="20" fill="#ff0000"/></svg>`;

describe('svgToPng', () => {
  it('renders a PNG that decodes, at the asked scale, with text drawn in system fonts', async () => {
    const png = decodePng(await svgToPng(SVG, { scale: 2 }));
    expect([png.width, png.height]).toEqual([240, 80]);
    expect(pixelAt(png, 0, 0)).toEqual([255, 255, 255, 255]); // background
    expect(pixelAt(png, 190, 40)).toEqual([255, 0, 0, 255]); // inside the red bar
    // The word covers dark pixels in the left third; the rest of the left side is white.
    expect(darkPixels(png, 0, 0, 80, 80)).toBeGreaterThan(100);
    expect(darkPixels(png, 80, 0, 240, 80)).toBe(0);
  });

  it("renders a chart's title, axis labels and lines", async () => {
    const svg = await curvesSvg(
      { loss: [3, 2, 1.5, 1.2, 1] },
      { title: 'Loss curve', width: 200, height: 100 },
    );
    const png = decodePng(await svgToPng(svg));
    const [w, h] = [Number(svg.match(/width="(\d+)"/)?.[1]), Number(svg.match(/height="(\d+)"/)?.[1])];
    expect([png.width, png.height]).toEqual([w, h]);
    expect(darkPixels(png, 0, 0, w, 22)).toBeGreaterThan(50); // the title's glyphs, top band
    // The line's colour (Vega's first category colour, #4c78a8) somewhere in the plot.
    let blue = 0;
    for (let i = 0; i < png.rgba.length; i += 4) {
      if (
        Math.abs(png.rgba[i] - 0x4c) < 12 &&
        Math.abs(png.rgba[i + 1] - 0x78) < 12 &&
        Math.abs(png.rgba[i + 2] - 0xa8) < 12
      )
        blue++;
    }
    expect(blue).toBeGreaterThan(100);
  });

  it.skipIf(!existsSync(DEJAVU))('draws text from fontFiles alone', async () => {
    const png = decodePng(await svgToPng(SVG, { loadSystemFonts: false, fontFiles: [DEJAVU] }));
    expect(darkPixels(png, 0, 0, 40, 40)).toBeGreaterThan(30);
  });

  it('refuses to drop text silently when no font is available', async () => {
    await expect(svgToPng(SVG, { loadSystemFonts: false })).rejects.toThrow(
      'svgToPng: the SVG has text but no font was found to draw it (loadSystemFonts: false, fontFiles: []); pass fontFiles',
    );
    // Without text, no font is needed.
    const noText = SVG.replace(/<text.*<\/text>/, '');
    expect(decodePng(await svgToPng(noText, { loadSystemFonts: false })).width).toBe(120);
  });

  it('refuses bad input', async () => {
    await expect(svgToPng(SVG, { scale: 0 })).rejects.toThrow(
      'svgToPng: scale must be a positive number, got 0',
    );
    await expect(svgToPng('out.svg')).rejects.toThrow("svgToPng: expected SVG text, got 'out.svg'");
  });
});

describe('the optional @resvg/resvg-js', () => {
  it('is named, with the install command, when missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@resvg/resvg-js'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(importResvg(() => Promise.reject(missing))).rejects.toThrow(
      '@proj/plot: PNG output needs the optional peer dependency @resvg/resvg-js, which is not installed: npm install @resvg/resvg-js@^2.6.2 (SVG output works without it)',
    );
    await expect(importResvg(() => Promise.reject(new Error('no binding')))).rejects.toThrow(
      /@resvg\/resvg-js, which failed to load .*: no binding/,
    );
    await expect(importResvg(async () => ({}))).rejects.toThrow('@resvg/resvg-js has no renderAsync');
  });

  it('is found through a CommonJS default export too', async () => {
    const renderAsync = () => Promise.reject(new Error('unused'));
    expect((await importResvg(async () => ({ default: { renderAsync } }))).renderAsync).toBe(renderAsync);
  });
});
