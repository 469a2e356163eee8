// SVG to PNG in Node, through resvg: fonts come from the system or from files you name.
import { FONT } from '../style.js';
import { loadResvg, type ResvgModule } from './resvg.js';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Pixels per SVG pixel (default 1; 2 gives sharp pictures on high-density screens). */
  scale?: number;
  /**
   * Font files (.ttf, .otf, .ttc) to draw text with, in addition to the system's. resvg draws
   * no text without a font, so a machine without fonts (a slim container) needs one here.
   */
  fontFiles?: readonly string[];
  /** Folders of font files to load. */
  fontDirs?: readonly string[];
  /**
   * Load the fonts installed on the system (default true: /usr/share/fonts and
   * ~/.local/share/fonts on Linux, the usual folders on macOS and Windows). Loading takes
   * some tens of milliseconds per PNG; false with `fontFiles` is faster.
   */
  loadSystemFonts?: boolean;
  /** A CSS colour painted under the SVG (default none: the charts paint their own white). */
  background?: string;
}

type FontOptions = Pick<SvgToPngOptions, 'fontFiles' | 'fontDirs' | 'loadSystemFonts'>;

function resvgFont(o: FontOptions) {
  return {
    loadSystemFonts: o.loadSystemFonts ?? true,
    fontFiles: [...(o.fontFiles ?? [])],
    fontDirs: [...(o.fontDirs ?? [])],
  };
}

/**
 * Whether the fonts of `o` can draw our charts' text; one probe per distinct font setting, the
 * last {@link FONT_CHECKS_KEPT} settings remembered (oldest forgotten first).
 */
const fontChecks = new Map<string, Promise<boolean>>();
const FONT_CHECKS_KEPT = 16;

function canDrawText(resvg: ResvgModule, o: FontOptions): Promise<boolean> {
  const font = resvgFont(o);
  const key = JSON.stringify(font);
  let check = fontChecks.get(key);
  if (!check) {
    const probe = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="24"><text x="2" y="18" font-size="16" font-family='${FONT}'>Hg</text></svg>`;
    check = resvg.renderAsync(probe, { font, logLevel: 'off' }).then((img) => {
      const px = img.pixels;
      for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
      return false;
    });
    if (fontChecks.size >= FONT_CHECKS_KEPT) fontChecks.delete(fontChecks.keys().next().value as string);
    fontChecks.set(key, check);
  }
  return check;
}

/**
 * Renders an SVG (a chart of this package, or any SVG) to PNG bytes with resvg, the optional
 * peer dependency `@resvg/resvg-js`: its absence is an error naming it. Text needs fonts: the
 * system's are loaded by default (any of Helvetica, Arial, Liberation Sans or DejaVu Sans is
 * used as installed, else the first font found); where there are none, pass `fontFiles`. An SVG
 * with text and no usable font is an error rather than a PNG without its labels.
 *
 * @throws Error if `scale` is not a positive number, `svg` is not SVG text, @resvg/resvg-js is
 * not installed, or the SVG has text and no font can draw it.
 *
 * @example
 * ```ts
 * import { curvesSvg } from '@proj/plot';
 * import { svgToPng } from '@proj/plot/node';
 * const png = await svgToPng(await curvesSvg({ loss: [1, 0.5, 0.3] }), { scale: 2 });
 * ```
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0))
    throw new Error(`svgToPng: scale must be a positive number, got ${scale}`);
  if (typeof svg !== 'string' || !svg.trimStart().startsWith('<')) {
    throw new Error(
      `svgToPng: expected SVG text, got ${typeof svg === 'string' ? `'${svg.slice(0, 30)}'` : typeof svg}`,
    );
  }
  const resvg = await loadResvg();
  if (/<text[\s>]/.test(svg) && !(await canDrawText(resvg, options))) {
    throw new Error(
      `svgToPng: the SVG has text but no font was found to draw it (loadSystemFonts: ${options.loadSystemFonts ?? true}, fontFiles: [${(options.fontFiles ?? []).join(', ')}]); pass fontFiles: ['/path/to/DejaVuSans.ttf'] or install a font (Debian/Ubuntu: apt-get install fonts-dejavu-core)`,
    );
  }
  const img = await resvg.renderAsync(svg, {
    font: resvgFont(options),
    fitTo: { mode: 'zoom', value: scale },
    ...(options.background ? { background: options.background } : {}),
    // resvg warns on stderr for every font fallback; errors still throw.
    logLevel: 'off',
  });
  const png = img.asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
